// SPDX-License-Identifier: GPL-2.0-or-later
#include "uses.h"

#include <algorithm>

#include "scan/recheck.h"

namespace fuser {

using detach::Pin;
using detach::PinKind;

void Uses::add(const Pin& pin, unsigned access) {
  ProcessUse& use = by_pid_[pin.pid];
  use.pid = pin.pid;
  use.access |= access;
  use.pins.push_back(&pin);
}

void Uses::add_task_pin(const Pin& pin) {
  switch (pin.kind) {
    case PinKind::Cwd:
      return add(pin, kCwd);
    case PinKind::Root:
      return add(pin, kRoot);
    case PinKind::Exe:
      return add(pin, kExe);
    case PinKind::Mmap:
      return add(pin, kMmap);
    case PinKind::Fd:
      return add(pin, writes(pin) ? kFile | kFileWrite : unsigned{kFile});
    default:
      return;
  }
}

std::vector<ProcessUse> Uses::take() {
  std::vector<ProcessUse> out;
  out.reserve(by_pid_.size());
  for (auto& [pid, use] : by_pid_) out.push_back(std::move(use));
  by_pid_.clear();
  return out;
}

bool Uses::writes(const Pin& pin) const {
  detach::Access access = pin.access;
  // An fd the scan gave no details: read now, when it is printed or acted on.
  if (access == detach::Access::Unknown && ctx_.want_access) access = detach::fd_access_now(ctx_.scan, pin);
  return access == detach::Access::Write || access == detach::Access::ReadWrite;
}

bool is_socket_of(const Pin& pin, const Query& q, const MatchContext& ctx) {
  return pin.kind == PinKind::Fd && pin.dev == ctx.sockfs && q.socket_inodes.count(pin.ino) != 0;
}

void add_kernel(Report& r, KernelKind kind, const std::string& command) {
  const bool one_per_name =
      kind == KernelKind::Swap || kind == KernelKind::Mount || kind == KernelKind::Knfsd;
  if (one_per_name)
    for (const KernelUse& k : r.kernel)
      if (k.kind == kind) return;
  r.kernel.push_back(KernelUse{kind, command});
}

void order_kernel(Report& r) {
  std::stable_sort(r.kernel.begin(), r.kernel.end(), [](const KernelUse& a, const KernelUse& b) {
    return static_cast<int>(a.kind) < static_cast<int>(b.kind);
  });
}

}  // namespace fuser

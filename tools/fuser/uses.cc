// SPDX-License-Identifier: GPL-2.0-or-later
#include "uses.h"

#include <algorithm>

#include "explain/pinner.h"
#include "explain/printable.h"
#include "model/pinner.h"
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
    // A file held through a ring, a socket (bound to it, or its queue's file in flight, once placed) or a
    // link is a file the process holds open, as psmisc's 'f' says.
    case PinKind::RingFile:
    case PinKind::BoundSocket:
    case PinKind::FilesInFlight:
    case PinKind::BpfLink:
      return add(pin, kFile);
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

namespace {

// "qemu-arm (interpreter /m/qemu-arm)": a kernel object's name and its pins in words.
std::string kernel_object(const detach::Pinner& p) {
  std::string summary = detach::summarize_pins(p, detach::Words::person());
  return detach::printable(p.holder) + (summary.empty() ? "" : " (" + summary + ")");
}

}  // namespace

void add_kernel_pins(Report& r, const std::vector<const Pin*>& pins, const detach::Snapshot& snapshot) {
  for (const detach::Pinner& p : detach::group_pinners(pins)) {
    if (p.kind != detach::PinnerKind::Kernel || !detach::certain(p)) continue;
    switch (p.kernel_kind) {
      case PinKind::SwapFile:
        add_kernel(r, KernelKind::Swap, p.holder);
        break;
      case PinKind::LoopBacking:
        add_kernel(r, KernelKind::Loop, p.holder);
        break;
      case PinKind::OverlayLayer:
        add_kernel(r, KernelKind::Overlay, detach::describe_pinner(snapshot, p, detach::Words::person()));
        break;
      case PinKind::BackingFile:
        add_kernel(r, KernelKind::FileBacked, detach::describe_pinner(snapshot, p, detach::Words::person()));
        break;
      // The ACCESS column names the kind ("binfmt", "uprobe", "bpf"): the command is the object itself.
      case PinKind::BinfmtInterpreter:
        add_kernel(r, KernelKind::Binfmt, kernel_object(p));
        break;
      case PinKind::Uprobe:
        add_kernel(r, KernelKind::Uprobe, kernel_object(p));
        break;
      case PinKind::KernelBpfLink:
        add_kernel(r, KernelKind::BpfLink, "link " + kernel_object(p));
        break;
      default:
        break;
    }
  }
}

void order_kernel(Report& r) {
  std::stable_sort(r.kernel.begin(), r.kernel.end(), [](const KernelUse& a, const KernelUse& b) {
    return static_cast<int>(a.kind) < static_cast<int>(b.kind);
  });
}

}  // namespace fuser

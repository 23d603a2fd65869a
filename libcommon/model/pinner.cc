// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/pinner.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace detach {
namespace {

// Where a pin goes in a pinner's summary: what the process stands in first, then its fds, then mappings.
int reading_rank(PinKind kind) {
  switch (kind) {
    case PinKind::Cwd:
      return 0;
    case PinKind::Root:
      return 1;
    case PinKind::Exe:
      return 2;
    case PinKind::Fd:
      return 3;
    case PinKind::RingFile:
    case PinKind::BoundSocket:
    case PinKind::FilesInFlight:
    case PinKind::BpfLink:
      return 4;  // what it holds through objects it has open, by their fds
    case PinKind::Mmap:
      return 5;
    default:
      return 6;
  }
}

bool reads_before(const Pin* a, const Pin* b) {
  return std::tuple(reading_rank(a->kind), a->fd, a->role, a->path) <
         std::tuple(reading_rank(b->kind), b->fd, b->role, b->path);
}

bool same_pin(const Pin* a, const Pin* b) {
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case PinKind::Cwd:
    case PinKind::Root:
    case PinKind::Exe:
      return true;
    case PinKind::Fd:
      return a->fd == b->fd;
    case PinKind::Mmap:
      return a->path == b->path && a->dev == b->dev && a->ino == b->ino;
    default:
      // One object (a ring, a socket, a layer) may hold several files: each is a pin of its own.
      return a->fd == b->fd && a->holder == b->holder && a->role == b->role && a->path == b->path &&
             a->dev == b->dev && a->ino == b->ino;
  }
}

// The key pinners sort and group on: processes (by pid, then tid: 0 for the process itself) before kernel
// objects (by kind, holder, and the mount they hold through: two overlays whose mount points are unknown are
// two pinners).
using PinnerKey = std::tuple<bool, pid_t, pid_t, int, std::string, MountKey>;

PinnerKey key_of(const Pin& pin) {
  if (is_task_pin(pin.kind)) return {false, pin.pid, pin.tid == pin.pid ? 0 : pin.tid, 0, {}, 0};
  return {true, 0, 0, static_cast<int>(pin.kind), pin.holder.empty() ? pin.path : pin.holder, pin.via};
}

}  // namespace

std::vector<Pinner> group_pinners(const std::vector<const Pin*>& pins) {
  std::map<PinnerKey, std::vector<const Pin*>> groups;
  for (const Pin* pin : pins) groups[key_of(*pin)].push_back(pin);
  std::vector<Pinner> out;
  out.reserve(groups.size());
  for (auto& [key, members] : groups) {
    Pinner& p = out.emplace_back();
    const Pin& first = *members.front();
    if (std::get<0>(key)) {
      p.kind = PinnerKind::Kernel;
      p.kernel_kind = first.kind;
      p.holder = std::get<4>(key);
      p.via = first.via;
    } else {
      p.pid = first.pid;
      p.tid = std::get<2>(key);
      p.kind = p.tid != 0 ? PinnerKind::Thread : PinnerKind::Process;
    }
    std::stable_sort(members.begin(), members.end(), reads_before);
    members.erase(std::unique(members.begin(), members.end(), same_pin), members.end());
    p.pins = std::move(members);
  }
  return out;
}

bool certain(const Pinner& pinner) {
  return std::all_of(pinner.pins.begin(), pinner.pins.end(), [](const Pin* pin) { return pin->placed(); });
}

std::size_t fd_count(const Pinner& pinner) {
  std::size_t n = 0;
  for (const Pin* pin : pinner.pins)
    if (pin->kind == PinKind::Fd) n += pin->fd_count();
  return n;
}

}  // namespace detach

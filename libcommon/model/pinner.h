// SPDX-License-Identifier: GPL-2.0-or-later
// Who holds a mount, as a person names it: a process (or a thread with its own fs or fd table), or a kernel
// object (a loop device, a swap file, another mount, a namespace holder, an overlay, a binfmt_misc entry, a
// uprobe). Every tool prints pinners, not
// pins: 200 processes with 1,000 fds each are 200 pinners.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "model/pin.h"

namespace detach {

enum class PinnerKind {
  Process,  // pins of a process, its threads that share its tables included
  Thread,   // a thread with its own fs or fd table: its own pins (PID/TID)
  Kernel,   // a kernel object: one holder
};

struct Pinner {
  PinnerKind kind = PinnerKind::Process;
  pid_t pid = 0;                               // Process, Thread
  pid_t tid = 0;                               // Thread
  PinKind kernel_kind = PinKind::LoopBacking;  // Kernel
  std::string holder;  // Kernel: "/dev/loop1", a swap file, another mount's target, an overlay's mount point
  MountKey via = 0;    // Kernel: the mount it holds through (an overlay, a file-backed mount), when known
  std::vector<const Pin*>
      pins;  // its pins in the order people read them: cwd, root, exe, fds by number, mmaps
};

// Groups PINS by who holds them, once each: processes first (by pid, a process before its own threads), then
// kernel objects (by kind, then holder). The pins of each pinner are ordered as Pinner::pins says and cleared
// of exact repeats (the same library mapped through two mounts is one mmap).
std::vector<Pinner> group_pinners(const std::vector<const Pin*>& pins);

// Whether the scan knows which filesystem each of its pins is on (Pin::placed). A pinner that is not certain
// MAY hold a filesystem nothing else explains, and is said so.
bool certain(const Pinner& pinner);

// Total number of fds a pinner's pins hold (a range pin counts each fd).
std::size_t fd_count(const Pinner& pinner);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// The rules every source of task pins follows (the /proc scan, scan/task_pins.cc, and the BPF one,
// scan/bpf/task_pins.cc), so that both give the same pins: which pins get details and which details, and
// which fds become one range pin. Private to libcommon/scan.
#pragma once

#include <sys/stat.h>

#include <set>
#include <vector>

#include "model/pin.h"
#include "scan/scan_state.h"

namespace detach::scan {

// The access mode the mode bits of a /proc/PID/fd/N link carry (r: read, w: write), as the kernel sets them
// from the file's FMODE_READ and FMODE_WRITE.
Access access_from_link_mode(mode_t mode);
Access access_from_fmode(bool read, bool write);

// One process's pins, in the order its source finds them: the leader's cwd, root, exe, fds and mappings, then
// each thread with tables of its own. One per process: which mounts it has shown a path of is its own.
class TaskPinRules {
 public:
  explicit TaskPinRules(const ScanState& state) : state_(state) {}

  // What a view prints of PIN, and so what the scan reads of it beside its mount (it costs a syscall each):
  // nothing, its details (an fd's access mode), or also its path.
  struct Detail {
    bool wanted = false;
    bool path = false;
  };
  Detail detail_for(const Pin& pin);

  // Whether detail_for() gives every further fd on MOUNT (not a block device) the same answer: once the mount
  // is listed, kernel-internal, or has shown its path in this process. A source that reads many fds at once
  // may then extend a range without asking for each.
  bool settled(MountKey mount) const;

  // Appends PIN to PINS, or extends the last pin when PIN is the next fd of the same range (same task, mount,
  // device and access, nothing of its own to show).
  void push(std::vector<Pin>& pins, Pin pin) const;

  // Whether fds on MOUNT are objects of their own, each one pin, never part of a range: namespace handles
  // (nsfs), sockets (sockfs) and anonymous inodes (io_uring rings among them), which a later step looks at by
  // their inode or fd.
  bool object_mount(MountKey mount) const;

 private:
  bool wants_detail(const Pin& pin) const;

  const ScanState& state_;
  // Mounts no namespace lists whose path this process has shown once: enough to tell a kernel-internal mount
  // ("anon_inode:[x]") from a detached one, without a readlink per fd.
  std::set<MountKey> unlisted_seen_;
};

}  // namespace detach::scan

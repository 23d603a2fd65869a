// SPDX-License-Identifier: GPL-2.0-or-later
// inotify, for one question: when is a superblock shut down? IN_UNMOUNT comes to every watch on an inode of a
// filesystem when that filesystem really ends (not at a lazy umount), and a watch holds no reference to any
// mount: it keeps nothing busy.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

struct InotifyEvent {
  int wd = -1;
  std::uint32_t mask = 0;  // IN_UNMOUNT, IN_IGNORED (the watch is gone), IN_Q_OVERFLOW (wd -1)
};

class Inotify {
 public:
  static Result<Inotify> open();

  // Watches PATH (relative to DIRFD; magic links such as /proc/PID/cwd are followed) for the end of its
  // filesystem. Returns the watch descriptor. Asks for IN_UNMOUNT only: no event of everyday use reaches us.
  Result<int> watch_unmount(int dirfd, const char* path);

  // Waits up to TIMEOUT (0: just looks; negative: forever) and returns the events that came, all of them.
  // An interrupted wait (EINTR) returns what it has, possibly nothing.
  Result<std::vector<InotifyEvent>> read_events(std::chrono::milliseconds timeout);

 private:
  explicit Inotify(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Waiting for a lazily detached filesystem to really end, without a sleep loop: its superblock is shut down
// (inotify IN_UNMOUNT on a watch that pins nothing) and then its device is free (an O_EXCL open succeeds,
// about a millisecond later), through the pins of a snapshot; FsEndWatch (fs_end.h) underneath, as for
// umount --wait.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/snapshot.h"

namespace detach {

enum class FsEnd {
  Ended,        // the superblock is shut down and DEVICE free
  Alive,        // DEADLINE passed first
  Unwatchable,  // no path could be watched, or every watch went without the filesystem ending (a deleted
                // file behind an fd was freed): take a new snapshot and watch through other pins
};

// Waits until the filesystem that each of PATHS leads to (pins of one superblock: /proc/PID/cwd,
// /proc/PID/fd/N ...) has ended and DEVICE (a block device node; empty: none) is free, up to DEADLINE.
Result<FsEnd> wait_fs_end(const std::vector<std::string>& paths, const std::string& device,
                          std::chrono::steady_clock::time_point deadline);

// Paths that lead to what the pins PINS (indexes into SNAPSHOT's pins) hold, for wait_fs_end: cwd and root
// first (directories stay while the filesystem does), then exe, fds and mapped files. At most MAX.
std::vector<std::string> pin_watch_paths(const Snapshot& snapshot, const std::vector<std::size_t>& pins,
                                         const std::string& proc_root = "/proc", std::size_t max = 8);

}  // namespace detach

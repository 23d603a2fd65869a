// SPDX-License-Identifier: GPL-2.0-or-later
// Waiting for filesystems to really end, without a sleep loop: the superblock is shut down (inotify
// IN_UNMOUNT, on a watch that pins nothing) and, for a block device, the device is free again (an O_EXCL open
// succeeds, about a millisecond later, once the filesystem has let go of it).
//
//   FsEndWatch watch = *FsEndWatch::create();
//   watch.add("/mnt/x", "/dev/loop3");           // before `umount -l /mnt/x`: the path still leads to it
//   watch.add("/proc/1234/cwd", "/dev/sdb");     // or through a pin of a filesystem already detached
//   watch.wait(deadline);                        // true: every filesystem watched has ended
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "kernel/inotify.h"

namespace detach {

class FsEndWatch {
 public:
  enum class State {
    Alive,  // the filesystem lives
    Ended,  // its superblock is shut down and its device (if any) free
    Lost,   // the watched inode went away while the filesystem lives (a deleted file behind an fd): watch it
            // again through another pin
  };
  using Deadline = std::optional<std::chrono::steady_clock::time_point>;  // nullopt: no limit

  static Result<FsEndWatch> create();

  // Watches the filesystem PATH is on (magic links such as /proc/PID/cwd and /proc/PID/fd/N are followed).
  // DEVICE: its block device, confirmed free (O_EXCL) once the superblock is shut down; empty for none.
  // Returns the entry's index. Fails (ENOENT, EACCES) when PATH cannot be reached: then nothing is watched.
  Result<std::size_t> add(const std::string& path, std::string device = {});

  State state(std::size_t index) const { return entries_[index].state; }
  std::size_t size() const { return entries_.size(); }
  // True when no entry is Alive.
  bool done() const;

  // Takes the events that came, without waiting.
  Status update() { return advance(std::chrono::milliseconds(0), std::nullopt); }
  // Until no entry is Alive (true) or DEADLINE passes (false). An entry whose superblock ended but whose
  // device stays claimed past DEADLINE stays Alive.
  Result<bool> wait(Deadline deadline);

 private:
  struct Entry {
    int wd = -1;
    std::string device;
    State state = State::Alive;
    bool unmounted = false;  // IN_UNMOUNT seen; the device may not be free yet
  };
  explicit FsEndWatch(Inotify inotify) : inotify_(std::move(inotify)) {}
  Status advance(std::chrono::milliseconds timeout, Deadline deadline);
  void confirm_devices(Deadline deadline);

  Inotify inotify_;
  std::vector<Entry> entries_;
};

// Once a superblock has ended, its block DEVICE is let go of a moment later: true when DEVICE (empty: none)
// is free, false when DEADLINE passed first. Short retries cover that window only, never the pinners'
// lifetime.
bool wait_device_free(const std::string& device, FsEndWatch::Deadline deadline);

}  // namespace detach

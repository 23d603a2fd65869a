// SPDX-License-Identifier: GPL-2.0-or-later
// The FUSE daemon of the dead-daemon tests (itest-fuse-hello, FUSE_HELLO), serving a mount point in the
// test's own temp dir and private namespace. Stop() makes it a dead server: anything that calls into the fs
// waits.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "harness.h"

namespace itest {

class FuseDaemon {
 public:
  // Starts the daemon on MOUNTPOINT and returns once it is mounted there.
  explicit FuseDaemon(const std::string& mountpoint);
  FuseDaemon(const FuseDaemon&) = delete;
  FuseDaemon& operator=(const FuseDaemon&) = delete;
  // Kills the daemon first (so that nothing waits on it any more), then lazily unmounts its mount if it is
  // still there.
  ~FuseDaemon();

  // SIGSTOP, and returns once the daemon is stopped.
  void Stop();
  // umount2(MNT_DETACH) of its mount.
  void Detach();
  const std::string& mountpoint() const { return mountpoint_; }
  std::uint64_t unique_id() const { return unique_id_; }

 private:
  std::string mountpoint_;
  std::optional<ChildProcess> daemon_;
  std::uint64_t unique_id_ = 0;
};

}  // namespace itest

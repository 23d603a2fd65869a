// SPDX-License-Identifier: GPL-2.0-or-later
// What a path a user gave leads to, asked in killable children: the lookup and the stat call into every
// filesystem on the way, and one on a dead NFS or FUSE server never answers (psmisc's fuser hangs there).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/mount.h"

namespace detach {

struct PathFacts {
  std::string canonical;  // realpath(): absolute, no symlink, "." or ".."; empty when it could not be made
  int stat_error = 0;     // errno of the stat; 0: the fields below hold
  DeviceNumber dev;
  DeviceNumber rdev;
  std::uint64_t ino = 0;
  mode_t mode = 0;
  std::uint64_t mnt_id = 0;  // the mount it is on: the unique id when mnt_id_unique, else the old one
  bool mnt_id_unique = false;
  bool mount_root = false;  // it is the root of its mount (STATX_ATTR_MOUNT_ROOT)
};

// SYNC: let the filesystem refresh what it caches (a network fs asks its server; an automount point is
// mounted). Without it: AT_STATX_DONT_SYNC | AT_NO_AUTOMOUNT.
enum class StatSync { Cached, Sync };

// realpath() and statx() of each of PATHS (relative ones from the working directory), each in its own child,
// all at once; a child that has not answered within LIMIT of the call is killed and its path comes back as
// ETIMEDOUT. The results are in the order of PATHS.
std::vector<Result<PathFacts>> stat_paths_bounded(const std::vector<std::string>& paths, StatSync sync,
                                                  std::chrono::milliseconds limit);

}  // namespace detach

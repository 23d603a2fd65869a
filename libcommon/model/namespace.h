// SPDX-License-Identifier: GPL-2.0-or-later
// A mount namespace: its mounts, the tasks in it, and what keeps it alive when no task is.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/mount.h"

namespace detach {

// Which mount namespace a task is in: its inode ("mnt:[INODE]"), and its id when the kernel has ids (6.10,
// else 0).
struct MountNamespaceRef {
  std::uint64_t inode = 0;
  std::uint64_t id = 0;
};

struct Namespace {
  std::uint64_t id = 0;     // NS_GET_MNTNS_ID, 0 when the kernel has none
  std::uint64_t inode = 0;  // nsfs inode ("mnt:[4026531841]")
  std::vector<MountKey> mounts;
  std::vector<pid_t> tasks;
  // For a namespace no task is in: "fd 5 of 1234 (holder)", "nsfs mount /run/netns/x"
  std::vector<std::string> kept_alive_by;
};

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Who is asking: the calling process and the processes that started it. A umount that fails because the
// user's own shell stands in the mount should say that first.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/mount.h"

namespace detach {

// The caller, its parent, its grandparent ... up to (not including) pid 1, at most MAX of them: from
// PROC_ROOT/PID/stat. Ends early where a parent cannot be read.
std::vector<pid_t> caller_chain(const std::string& proc_root = "/proc", std::size_t max = 16);

// The mount PATH leads to, as the kernel names it, and the caller's mount namespace: what a tool notes about
// a mount before unmounting it, since afterwards the path leads elsewhere and a lazily detached mount has no
// path at all. Calls into no filesystem (statx for the mount id only; an automount point is not mounted).
struct MountIdentity {
  std::uint64_t unique_id = 0;  // 0 before Linux 6.8
  std::uint32_t old_id = 0;
  // Its superblock's, as the mount table shows it (statmount, or mountinfo): on btrfs that of a file in it
  // (statx) is its subvolume's anonymous number instead.
  DeviceNumber dev;
  std::uint64_t ns_id = 0;  // 0 before Linux 6.10
  std::uint64_t ns_inode = 0;
};
Result<MountIdentity> identify_mount(const std::string& path, const std::string& proc_root = "/proc");

// Whether the caller's mount namespace still lists a mount of the filesystem DEV (its mountinfo).
Result<bool> namespace_has_mount_of(DeviceNumber dev, const std::string& proc_root = "/proc");

}  // namespace detach

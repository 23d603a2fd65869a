// SPDX-License-Identifier: GPL-2.0-or-later
// statx asking only for the mount id: the one stat that never waits on the filesystem (AT_STATX_DONT_SYNC).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "base/result.h"
#include "model/mount.h"

namespace detach {

struct MountRef {
  std::uint64_t mnt_id = 0;  // unique id when unique is true, else the old (mountinfo) id
  bool unique = false;
  DeviceNumber dev;
  DeviceNumber rdev;
  std::uint64_t ino = 0;
  mode_t mode = 0;
};

// Follows PATH (relative to DIRFD) as open() would and reports the mount of what it lands on.
// With WANT_UNIQUE, asks for STATX_MNT_ID_UNIQUE and falls back to STATX_MNT_ID when the kernel lacks it.
// EXTRA_FLAGS go to statx as well (AT_NO_AUTOMOUNT: an automount point is reported, not mounted).
Result<MountRef> mount_ref_at(int dirfd, const char* path, bool want_unique, int extra_flags = 0);

// The size statx gives for an open directory: for /proc/PID/fd, the number of open fds (Linux 6.2; 0 before).
Result<std::uint64_t> directory_size(int dir_fd);

// Mode bits of a /proc/PID/fd/N link itself: they carry the fd's access mode (r = read, w = write).
Result<mode_t> link_mode_at(int dirfd, const char* path);

// The owner of PATH itself (statx STATX_UID, AT_STATX_DONT_SYNC): for /proc/PID, who the process runs as.
Result<uid_t> owner_uid(const std::string& path);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// What a detached mount is, asked without a mount table: the kernel forgets everything but the objects.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/result.h"
#include "model/mount.h"

namespace detach {

// Name of a filesystem from its statfs magic ("xfs", "btrfs"); empty when unknown. The ext family shares one
// magic: "ext4" stands for all three, probe the device to tell them apart.
std::string fs_name_from_magic(std::uint64_t magic);

// "/dev/loop0" for 7:0 through SYS_ROOT/dev/block/M:m; empty for anonymous devices (tmpfs, btrfs, FUSE).
std::string block_device_path(const std::string& sys_root, DeviceNumber dev);

// Filesystem type written on a block device (libblkid: "ext2", "xfs"). It reads the device, and a loop device
// backed by a file on a dead FUSE or NFS server blocks that read: so it runs in a killable child bounded by
// LIMIT.
Result<std::string> probe_device_fstype(const std::string& device, std::chrono::milliseconds limit);

// A FUSE connection has a directory named after its device minor in fusectl, when fusectl is mounted.
bool is_fuse_connection(const std::string& sys_root, DeviceNumber dev);

// fstatfs() of what PATH leads to, in a killable child bounded by LIMIT (statfs calls into the fs and hangs
// on a dead FUSE or NFS server). For btrfs, also the devices of the filesystem from sysfs.
struct FsIdentity {
  std::string fstype;
  std::string device;  // btrfs: its first device
  bool read_only = false;
  std::string vfs_options;  // from the statfs flags: "ro,nosuid,nodev,noatime"
};

// The mount options statfs(2) flags tell (ST_RDONLY, ST_NOSUID, ...), in mountinfo's words and order. The
// only per-mount options a detached mount still shows: statmount() cannot reach it.
std::string vfs_options_from_statfs_flags(std::uint64_t flags);

Result<FsIdentity> probe_fs_bounded(const std::string& path, const std::string& sys_root,
                                    std::chrono::milliseconds limit);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// btrfs filesystems as sysfs shows them: SYS_ROOT/fs/btrfs/FSID lives as long as the filesystem does
// (mounted or lazily detached), and its devices/ holds a link per device, named as the block device is in
// sysfs. Reading it never calls into the filesystem.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace detach {

struct BtrfsFilesystem {
  std::string fsid;                  // "5b4b63f9-d168-433e-91e4-b4c71b201619"
  std::vector<std::string> devices;  // sysfs names ("loop4", "dm-3"), sorted
};

// Whether NAME is an fsid as btrfs names its sysfs directories (%pU: 8-4-4-4-12 lower-case hex digits): the
// other entries (features) are not filesystems.
bool is_btrfs_fsid(std::string_view name);

struct BtrfsFilesystems {
  std::vector<BtrfsFilesystem> filesystems;  // by fsid
  // What could not be read and could hide a device: "/sys/fs/btrfs/FSID/devices: Permission denied".
  // No btrfs in the kernel, or a filesystem that went away meanwhile, is no loss.
  std::vector<std::string> unread;
};

BtrfsFilesystems read_btrfs_filesystems(const std::string& sys_root);

}  // namespace detach

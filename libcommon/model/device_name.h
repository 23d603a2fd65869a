// SPDX-License-Identifier: GPL-2.0-or-later
// Names of block devices as sysfs and /dev spell them. Pure functions: the explain layer names holders and
// partitions with them, the kernel layer opens nodes with them.
#pragma once

#include <string>

namespace detach {

// sysfs spells a '/' in a device name as '!' ("cciss!c0d0" is /dev/cciss/c0d0): the name under /dev.
std::string device_node_name(const std::string& sysfs_name);

// "/dev/" + device_node_name(SYSFS_NAME): "/dev/loop3p1", "/dev/cciss/c0d0".
std::string device_node_path(const std::string& sysfs_name);

}  // namespace detach

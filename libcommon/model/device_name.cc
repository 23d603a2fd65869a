// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/device_name.h"

#include <algorithm>

namespace detach {

std::string device_node_name(const std::string& sysfs_name) {
  std::string out = sysfs_name;
  std::replace(out.begin(), out.end(), '!', '/');
  return out;
}

std::string device_node_path(const std::string& sysfs_name) {
  return "/dev/" + device_node_name(sysfs_name);
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/mount.h"

#include <sys/sysmacros.h>

namespace detach {

dev_t DeviceNumber::to_dev() const {
  return makedev(major, minor);
}

DeviceNumber DeviceNumber::from_dev(dev_t dev) {
  return DeviceNumber{::major(dev), ::minor(dev)};
}

std::string DeviceNumber::str() const {
  return std::to_string(major) + ":" + std::to_string(minor);
}

std::string merged_options(const std::string& vfs, const std::string& fs) {
  std::string rest = fs;
  if (!vfs.empty() && (rest.starts_with("ro") || rest.starts_with("rw")) &&
      (rest.size() == 2 || rest[2] == ','))
    rest.erase(0, rest.size() == 2 ? 2 : 3);
  if (vfs.empty() || rest.empty()) return vfs + rest;
  return vfs + "," + rest;
}

}  // namespace detach

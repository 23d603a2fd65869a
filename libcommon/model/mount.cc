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

}  // namespace detach

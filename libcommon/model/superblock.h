// SPDX-License-Identifier: GPL-2.0-or-later
// Everything with one device number: the unit users think in ("/dev/loop0 is busy").
#pragma once

#include <string>
#include <vector>

#include "model/mount.h"

namespace detach {

struct Superblock {
  DeviceNumber dev;
  std::string fstype;
  std::string device;                    // "/dev/loop0" when it is backed by a block device, else the source
  std::vector<MountKey> attached;        // every attached mount of it, in every namespace
  std::vector<MountKey> detached;        // every detached mount of it still pinned
  std::vector<std::size_t> pins;         // indexes into Snapshot::pins: everything that keeps it alive
  std::vector<std::size_t> kernel_pins;  // indexes of kernel pins (loop, swap) on it
};

}  // namespace detach

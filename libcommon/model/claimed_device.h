// SPDX-License-Identifier: GPL-2.0-or-later
// A block device a filesystem holds besides the one its mounts name: the kernel keeps it claimed (an O_EXCL
// open gives EBUSY) for as long as the filesystem lives, mounted or lazily unmounted.
#pragma once

#include <string>

#include "base/i18n.h"
#include "model/mount.h"

namespace detach {

enum class ClaimRole {
  Log,       // xfs: the external log device (logdev=)
  Realtime,  // xfs: the realtime device (rtdev=)
  Journal,   // ext4 (and ext3): the external journal device (journal_dev, journal_path, mkfs -J device=)
  Member,    // btrfs: one of its devices, other than the one its mounts name
};

// "log", "realtime", "journal", "member": the JSON "role".
const char* claim_role_name(ClaimRole role);
// What the device is to the filesystem, in words: "external log device", "realtime device", "external
// journal device", "device" (of a btrfs: one among several); in WORDS (base/i18n.h).
const char* claim_role_words(ClaimRole role, const Words& words);

struct ClaimedDevice {
  DeviceNumber device;  // the claimed device
  std::string name;     // its sysfs name ("loop5", "dm-3")
  ClaimRole role = ClaimRole::Log;
  // The claiming filesystem: the device number its mounts have (Mount::dev; for btrfs an anonymous one, or
  // 0:0 when no mount of it is known), its type, and the device it is named by ("/dev/loop4"). btrfs: fs_uuid
  // names it when no mount of it is known.
  DeviceNumber fs_dev;
  std::string fstype;
  std::string fs_device;
  std::string fs_uuid;
  // Where the kernel states it: "logdev= in the options of mount 2147483690",
  // "/sys/fs/ext4/loop3/journal_task",
  // "/sys/fs/btrfs/UUID/devices" (mkfs-guard -v lists it).
  std::string stated_by;
};

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// The one field of an ext2/3/4 superblock the scan needs: when the filesystem was last mounted. It tells a
// journal record of an earlier filesystem on the same device (a loop device is reused all the time) from a
// record of the one alive now: a record made before that mount is not of it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace detach {

// From the 1024 bytes of an ext2/3/4 superblock (as read at byte 1024 of its device): s_mtime with its high
// byte (s_mtime_hi), epoch seconds. nullopt when SUPERBLOCK is short or has no ext magic.
std::optional<long long> parse_ext_mount_time(std::string_view superblock);

// The same, read from the device node DEVICE. Reading a device waits on what backs it (a loop device over a
// file on a dead FUSE server): callers bound it (run_bounded_value).
Result<long long> read_ext_mount_time(const std::string& device);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// How long a scan gives its calls into filesystems (ScanOptions::fs_call_timeout): anything that may wait on
// a dead FUSE or NFS server runs in killable children, within this time overall.
#pragma once

#include <chrono>

namespace detach {

inline constexpr std::chrono::milliseconds kDefaultFsCallTimeout{2000};
inline constexpr std::chrono::milliseconds kMaxFsCallTimeout{60000};

// The environment's choice: DETACH_FS_TIMEOUT_MS=N (1 to 60000 milliseconds), for a machine where the
// children themselves start slowly (a sanitized build's tests set it); kDefaultFsCallTimeout when unset or
// anything else.
std::chrono::milliseconds fs_call_timeout_from_environment();

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// listmount(2) and statmount(2): every mount of a namespace, keyed by the unique id.
#pragma once

#include <cstdint>
#include <vector>

#include "base/result.h"
#include "model/mount.h"

namespace detach {

// Unique ids of every mount in namespace NS_ID (0: the caller's). ENOSYS before 6.8, EINVAL for ns ids
// before 6.11.
Result<std::vector<std::uint64_t>> list_mount_ids(std::uint64_t ns_id);

// One mount's details. ENOENT when it is gone or not in that namespace (a detached mount always gives
// ENOENT).
Result<Mount> stat_mount(std::uint64_t mnt_id, std::uint64_t ns_id);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// util-linux's canonicalize_path_restricted(): a setuid tool resolves a user's path as that user, so that a
// user cannot learn or reach through it what they may not (a forked child drops the privileges first).
#pragma once

#include <string>

#include "base/result.h"

namespace detach {

// realpath(3) of PATH as the real user; a device-mapper node (/dev/dm-N) comes back as /dev/mapper/NAME.
// Fails with the child's errno (ENOENT, EACCES ...), or EINVAL for an empty path.
Result<std::string> canonicalize_as_real_user(const std::string& path);

}  // namespace detach

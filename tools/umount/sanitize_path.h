// SPDX-License-Identifier: GPL-2.0-or-later
// util-linux's sanitize_path(): a user's path, resolved as the user, for a setuid umount.
#pragma once

#include <string>

namespace umount_tool {

// The canonical PATH; ends the process with "umount: PATH: strerror" and MNT_EX_USAGE when it cannot be
// resolved (as util-linux's err()).
std::string sanitize_path(const std::string& path);

}  // namespace umount_tool

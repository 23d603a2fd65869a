// SPDX-License-Identifier: GPL-2.0-or-later
// What a setuid tool does for the user who ran it, done as that user, so that the user cannot learn or reach
// through it what they may not: a forked child drops the privileges first. Resolving the user's paths is
// util-linux's canonicalize_path_restricted().
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/result.h"

namespace detach {

// realpath(3) of PATH as the real user; a device-mapper node (/dev/dm-N) comes back as /dev/mapper/NAME.
// Fails with the child's errno (ENOENT, EACCES ...), or EINVAL for an empty path.
Result<std::string> canonicalize_as_real_user(const std::string& path);

// WORK (a scan, and what is made of it) in a child that has given up a setuid program's privileges: what it
// finds is what the user running the program may see, and the caller keeps its privileges. Its result comes
// back as text (keep it to a few KiB); past LIMIT the child is killed and the call fails with ETIMEDOUT.
Result<std::string> run_as_real_user(const std::function<Result<std::string>()>& work,
                                     std::chrono::milliseconds limit);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Active swap areas, from /proc/swaps.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/snapshot.h"

namespace detach {

// Parses /proc/swaps text (paths are escaped by the kernel as in mountinfo: \040 for space, \012 for
// newline). A line cut short keeps what it has: a path without a type is guessed a partition when it is under
// /dev/.
std::vector<SwapArea> parse_swaps(const std::string& text);

// Reads PROC_ROOT/swaps; with live, resolves each swap area's device: a partition's st_rdev, a swap file's
// st_dev. Resolving a file calls into its fs, so it runs in a killable child bounded by STAT_TIMEOUT; a file
// whose fs does not answer in time is marked unresponsive. ASK, when given, says which files to stat: the
// others are marked unresponsive without asking. A relative path (the file's fs was lazily detached) cannot
// be resolved and is left unresolved. No PROC_ROOT/swaps (a kernel without swap) is no swap area; any other
// failure to read it is an error: a swap area could then be missed.
Result<std::vector<SwapArea>> read_swaps(
    const std::string& proc_root, bool live,
    std::chrono::milliseconds stat_timeout = std::chrono::milliseconds(2000),
    const std::function<bool(const SwapArea&)>& ask = {});

// Undoes the kernel's octal escapes (seq_escape: "\040" -> ' '); a malformed escape is kept as is.
std::string unescape_octal(const std::string& text);

}  // namespace detach

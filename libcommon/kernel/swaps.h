// Active swap areas, from /proc/swaps.
#pragma once

#include <string>
#include <vector>

#include "model/snapshot.h"

namespace detach {

// Parses /proc/swaps text (paths are escaped by the kernel as in mountinfo: \040 for space, \012 for newline).
std::vector<SwapArea> parse_swaps(const std::string& text);

// Reads PROC_ROOT/swaps; with live, resolves each swap file's st_dev (bounded: a stat may call into the fs).
std::vector<SwapArea> read_swaps(const std::string& proc_root, bool live);

}  // namespace detach

// Whole-file reads of small kernel text files (sysfs attributes, /proc/swaps).
#pragma once

#include <string>

#include "base/result.h"

namespace detach {

// Reads PATH to the end. Meant for files of a few pages at most; /proc files report size 0, so no fstat.
Result<std::string> read_text_file(const std::string& path);

// The file's content without its one trailing newline ("7:0\n" -> "7:0"); empty when it cannot be read.
// Only one newline goes: a sysfs path may itself end in a newline.
std::string read_attribute(const std::string& path);

}  // namespace detach

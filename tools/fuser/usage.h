// SPDX-License-Identifier: GPL-2.0-or-later
// What fuser prints about itself, as psmisc 23.6 prints it (on stderr, but for -l): the usage, the version
// and the signal names.
#pragma once

#include <string>

namespace fuser {

// MESSAGE (when not empty) on a line of its own, then the usage text.
std::string usage_text(const std::string& message);

// -V: psmisc's words, our version after them on the first line.
std::string version_text();

// -l: the signal names, wrapped before 80 columns as psmisc wraps them.
std::string signal_list_text();

}  // namespace fuser

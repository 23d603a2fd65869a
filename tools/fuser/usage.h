// SPDX-License-Identifier: GPL-2.0-or-later
// What fuser prints about itself, as psmisc 23.6 prints it (on stderr, but for -l): the usage, the version
// and the signal names.
#pragma once

#include <string>

namespace fuser {

// MESSAGE (when not empty) on a line of its own, then the usage text.
std::string usage_text(const std::string& message);

// USAGE (psmisc's synopsis, translated or not) with our --detached synopsis line before its "fuser -l" line,
// indented as that line is (translations indent the synopsis to their own word for "Usage:"), or after its
// first line when a translation has no such line (nl: "of:  fuser [-l|-V]" counts as one).
std::string with_detached_synopsis(const std::string& usage);

// -V: psmisc's words, our version after them on the first line.
std::string version_text();

// -l: the signal names, wrapped before 80 columns as psmisc wraps them.
std::string signal_list_text();

}  // namespace fuser

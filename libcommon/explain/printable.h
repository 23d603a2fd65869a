// SPDX-License-Identifier: GPL-2.0-or-later
// Text from the kernel (paths, command names) is arbitrary bytes; what we print must stay on its line and,
// for JSON, be valid UTF-8.
#pragma once

#include <string>

namespace detach {

// Bytes that are not part of a valid UTF-8 sequence become "\xNN"; valid text is left as it is.
std::string escape_invalid_utf8(const std::string& text);

// Control characters (C0: newline, tab, ...; DEL; C1: U+0080..U+009F) and invalid UTF-8 become "\xNN": one
// line of valid text that cannot steer a terminal.
std::string printable(const std::string& text);

}  // namespace detach

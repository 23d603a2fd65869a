// SPDX-License-Identifier: GPL-2.0-or-later
// The one question mkfs-guard asks (before --kill ends processes), on the terminal: never on stdin, which
// may be a pipe, nor stdout, which may be read by a program.
#pragma once

#include <string>

namespace detach::guard {

enum class Answer { Yes, No, NoTerminal };

// Writes QUESTION and " [y/N] " to /dev/tty and reads one line: Yes for "y" or "yes" (any case).
Answer ask_on_terminal(const std::string& question);

}  // namespace detach::guard

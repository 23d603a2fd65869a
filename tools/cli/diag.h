// SPDX-License-Identifier: GPL-2.0-or-later
// util-linux-style messages on stderr: "prog: text", with ": strerror" when an errno applies (warn/warnx,
// errtryhelp). Shared by every tool; libcommon never prints, the tools do, through these.
#pragma once

#include <string>

namespace cli {

// The name messages start with: argv[0]'s last component, as program_invocation_short_name.
const std::string& program_name();
// Set once in main, before anything prints; DEFAULT_NAME stands in when argv[0] is empty.
void set_program_name(const char* argv0, const char* default_name);
// argv[0] as given: getopt_long's own messages start with it.
const std::string& program_path();

void warnx(const std::string& message);
void warn(const std::string& message, int err);  // "prog: message: strerror(err)"

// "Try 'prog --help' for more information." as util-linux's errtryhelp() prints it.
void try_help();

}  // namespace cli

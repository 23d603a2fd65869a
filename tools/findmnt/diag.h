// util-linux-style messages on stderr: "findmnt: text", with ": strerror" when an errno applies (warn/warnx).
#pragma once

#include <string>

namespace findmnt {

// The name messages start with: argv[0]'s last component, as program_invocation_short_name.
const std::string& program_name();
void set_program_name(const char* argv0);
// argv[0] as given: getopt_long's own messages start with it.
const std::string& program_path();

void warnx(const std::string& message);
void warn(const std::string& message, int err);  // "prog: message: strerror(err)"

// "Try 'findmnt --help' for more information." as util-linux's errtryhelp() prints it.
void try_help();

}  // namespace findmnt

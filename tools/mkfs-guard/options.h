// mkfs-guard's command line: [-J] [-q] DEVICE, or [-J] [-q] -- MKFS-COMMAND...
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace detach::guard {

struct Options {
  bool json = false;
  bool quiet = false;
  std::string device;                // the device to check; empty when a command names it
  std::vector<std::string> command;  // after "--": the mkfs command to run when the device is free
};

// What parsing decided: run with OPTIONS, or exit at once with EXIT_CODE (--help, --version, usage error;
// the message is already printed).
struct ParsedCommandLine {
  std::optional<Options> options;
  int exit_code = 0;
};

ParsedCommandLine parse_command_line(int argc, char** argv);

}  // namespace detach::guard

// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard's command line: [options] DEVICE..., or [options] -- MKFS-COMMAND...
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace detach::guard {

struct Options {
  bool json = false;
  bool quiet = false;
  bool verbose = false;
  bool force = false;  // a device only open for writing (no claim) counts as free
  bool yes = false;    // --kill without asking
  bool wait = false;
  std::optional<std::chrono::seconds> wait_limit;  // --wait=SECONDS; none: no limit
  std::optional<int> kill_signal;                  // --kill[=SIGNAL]: SIGTERM by default
  std::vector<std::string> devices;                // the devices to check; empty when a command names them
  std::vector<std::string> command;                // after "--": the mkfs command to run when they are free

  bool wrapping() const { return !command.empty(); }
};

// What parsing decided: run with OPTIONS, or exit at once with EXIT_CODE (--help, --version, usage error;
// the message is already printed).
struct ParsedCommandLine {
  std::optional<Options> options;
  int exit_code = 0;
};

ParsedCommandLine parse_command_line(int argc, char** argv);

// "TERM", "SIGTERM", "term", "15" -> 15; nullopt for anything else.
std::optional<int> parse_signal(const std::string& text);

}  // namespace detach::guard

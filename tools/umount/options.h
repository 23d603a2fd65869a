// SPDX-License-Identifier: GPL-2.0-or-later
// umount's command line, parsed as util-linux 2.38.1 parses it: getopt_long over its option table, each
// option applied to the libmount context in command-line order (a setuid umount run by a user drops its
// privileges at the first option a user may not give it).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "context.h"

namespace umount_tool {

struct Config {
  bool all = false;                            // -a
  bool all_targets = false;                    // -A
  bool recursive = false;                      // -R
  bool quiet = false;                          // -q
  std::optional<std::string> types;            // -t: a filter for -a only, as in util-linux
  std::optional<std::string> options_pattern;  // -O: likewise
  // --wait[=SECONDS]: return only once each unmounted filesystem has really ended; nullopt timeout: forever.
  bool wait = false;
  std::optional<std::chrono::milliseconds> wait_timeout;
  std::vector<std::string> positionals;
};

struct ParseOutcome {
  Config config;
  std::optional<int> exit_code;  // set: stop with it (help, version, or an error already printed)
};

ParseOutcome parse_options(const std::vector<std::string>& args, Context& ctx);

}  // namespace umount_tool

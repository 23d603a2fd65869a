// SPDX-License-Identifier: GPL-2.0-or-later
// From argv to a Config, with util-linux findmnt's messages and exit codes for every bad input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config.h"

namespace findmnt {

struct ParseOutcome {
  Config config;
  std::optional<int> exit_code;  // set: stop now with this code (--help, --version, a bad option)
};

ParseOutcome parse_options(const std::vector<std::string>& args);

// The first positional argument: "MAJ:MIN" or a source (which may turn out to be a mount point).
void apply_source_positional(const std::string& text, Config& cfg);

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
// detach-metrics' command line: [--output FILE], and its exit codes.
#pragma once

#include <optional>
#include <string>

namespace detach::metrics {

inline constexpr int kExitOk = 0, kExitError = 1, kExitUsage = 2;

struct Options {
  std::string output;  // empty: stdout
};

// Fills OPTIONS; or gives the exit code when the run ends here (--help, --version, a usage error: already
// printed).
std::optional<int> parse_command_line(int argc, char** argv, Options& options);

}  // namespace detach::metrics

// Splits an argv into options (in command-line order) and positionals by getopt_long's rules, driven by the
// option table: long-option prefixes (`--noh`), short bundles (`-lno X`), attached and `=` values, optional
// values only when attached, GNU permutation, `--`. getopt_long's errors come with its exact words; the
// options before the error are kept because util-linux acts on earlier options (--help, conflicts) before it
// reaches a bad one.
//
// Why not CLI11 (2.1.2, Debian 12): it takes the next option as the value of `--output=` (empty value),
// rejects dash-leading positionals after `--`, and runs callbacks in definition order rather than
// command-line order; each of those changes what a getopt_long program does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "option_table.h"

namespace findmnt {

struct OptToken {
  Opt id;
  std::optional<std::string> value;
  friend bool operator==(const OptToken&, const OptToken&) = default;
};

struct ScannedArgs {
  std::vector<OptToken> options;  // in command-line order
  std::vector<std::string> positionals;
  std::optional<std::string> error;  // getopt_long's message without the "prog: " prefix
};

// `args` excludes the program name.
ScannedArgs scan_argv(const std::vector<std::string>& args);

}  // namespace findmnt

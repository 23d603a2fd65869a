// SPDX-License-Identifier: GPL-2.0-or-later
// CLI11 with util-linux's face, for the tools of our own that parse with CLI11: --help laid out as a
// util-linux tool lays it out ("Usage:", the description, "Options:" in two columns, -h and -V last), and
// unknown options reported in glibc getopt's words.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace cli {

class UtilLinuxFormatter : public CLI::FormatterBase {
 public:
  // USAGE: the synopsis lines (without the program name: " PROG " comes first); DESCRIPTION: a few lines of
  // what the tool does; FOOTER: what follows the options (exit status, "For more details see ...").
  UtilLinuxFormatter(std::vector<std::string> usage, std::string description, std::string footer);
  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;

 private:
  std::vector<std::string> usage_;
  std::string description_;
  std::string footer_;
};

// " -J, --json", "     --wait[=<seconds>]": the left column of one option's help line. An option text that
// starts with '[' (an optional value) follows the long name without a space.
std::string option_names(const CLI::Option& option);

// What glibc's getopt_long says of an argument CLI11 left over (allow_extras) that looks like an option:
// "unrecognized option '--bogus'", "invalid option -- 'x'"; nullopt for anything else. In our catalogs, in
// glibc's words.
std::optional<std::string> unknown_option_message(const std::string& arg);
// "invalid option -- 'x'" for LETTER.
std::string invalid_option_message(const std::string& letter);

}  // namespace cli

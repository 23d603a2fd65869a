// SPDX-License-Identifier: GPL-2.0-or-later
// A tool's option table handed to glibc's getopt_long, the very function util-linux's tools call, so options
// parse exactly as theirs: bundled short options, attached and `=` values, long-option prefixes, GNU
// permutation, `--`, and glibc's own error messages.
//
// Not CLI11 (2.1.2, Debian 12): it takes the next option as the value of an empty `--output=`, rejects
// dash-leading positionals after `--`, cannot expand long-option prefixes, and runs callbacks in definition
// order where util-linux acts in command-line order (`-h --bogus` prints help, `--bogus -h` an error).
#pragma once

#include <getopt.h>

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

enum class Arg { None, Required, Optional };

// One long option, and the number the tool's getopt loop sees for it (its short letter, or a code past
// CHAR_MAX for a long-only option).
struct LongOption {
  std::string_view name;
  Arg arg;
  int code;
  // false for options the replaced tool's version lacks: a long prefix ambiguous only because of them keeps
  // meaning the older option (`--li` was --list before --list-columns came).
  bool legacy = true;
};

class GetoptTables {
 public:
  // SHORT_OPTIONS as getopt's optstring; LONGS in the replaced tool's longopts order (getopt_long lists the
  // candidates of an ambiguous prefix in it).
  GetoptTables(std::string short_options, std::span<const LongOption> longs);
  GetoptTables(const GetoptTables&) = delete;  // long_options() points into names_
  GetoptTables& operator=(const GetoptTables&) = delete;

  const char* short_options() const { return short_.c_str(); }
  const option* long_options() const { return long_.data(); }
  std::span<const LongOption> longs() const { return longs_; }

 private:
  std::string short_;
  std::span<const LongOption> longs_;
  std::vector<std::string> names_;
  std::vector<option> long_;
};

// Called for each option in command-line order; returning an exit code stops the parse there (its message,
// help or version text already printed).
using OptionHandler = std::function<std::optional<int>(int code, const std::optional<std::string>& value)>;

struct GetoptOutcome {
  std::optional<int> exit_code;          // set: stop now with this code
  std::vector<std::string> positionals;  // what getopt_long left, in order
};

// Runs getopt_long over ARGS (argv without argv[0]; program_path() stands in for it). An unknown option or a
// missing value gets glibc's message, then "Try '... --help'", and USAGE_CODE.
GetoptOutcome parse_getopt(const GetoptTables& tables, const std::vector<std::string>& args, int usage_code,
                           const OptionHandler& handle);

// util-linux's err_exclusive_options(), loop for loop: rows of option codes, each row and the rows themselves
// meant to be in ascending order. The scan stops at the first row (and member) past the option's code, so a
// table that is not quite sorted lets some pairs through, as it does in util-linux; scripts live with that,
// so the quirk is kept. SORTED_SCAN false checks every row in full (for options of our own).
class ExclusiveCheck {
 public:
  ExclusiveCheck(std::vector<std::vector<int>> groups, bool sorted_scan);
  // True when CODE conflicts with an option seen before; the message ("prog: mutually exclusive arguments:
  // --a --b") is printed then.
  bool conflicts(int code, std::span<const LongOption> longs);

 private:
  std::vector<std::vector<int>> groups_;
  std::vector<int> seen_;  // per row: the code seen first, 0 for none
  bool sorted_scan_;
};

}  // namespace cli

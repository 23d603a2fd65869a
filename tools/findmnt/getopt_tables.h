// findmnt's option table (option_table.h) in the form glibc's getopt_long takes, so options parse exactly as
// util-linux's findmnt parses them: bundled short options, attached and `=` values, long-option prefixes,
// GNU permutation, `--`, and glibc's own error messages.
//
// Not CLI11 (2.1.2, Debian 12): it takes the next option as the value of an empty `--output=`, rejects
// dash-leading positionals after `--`, cannot expand long-option prefixes, and runs callbacks in definition
// order where util-linux acts in command-line order (`-h --bogus` prints help, `--bogus -h` an error).
#pragma once

#include <getopt.h>

#include <string>
#include <vector>

#include "option_table.h"

namespace findmnt {

class GetoptTables {
 public:
  GetoptTables();
  GetoptTables(const GetoptTables&) = delete;  // long_options() points into names_
  GetoptTables& operator=(const GetoptTables&) = delete;

  const char* short_options() const { return short_.c_str(); }
  const option* long_options() const { return long_.data(); }

 private:
  std::string short_;
  std::vector<std::string> names_;
  std::vector<option> long_;
};

// The option a getopt_long return value stands for (the value is getopt_code(), see option_table.h).
Opt opt_of_code(int code);

}  // namespace findmnt

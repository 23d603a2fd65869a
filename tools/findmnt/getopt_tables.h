// SPDX-License-Identifier: GPL-2.0-or-later
// findmnt's option table (option_table.h) in the form cli::parse_getopt takes: util-linux's findmnt's
// optstring and longopts, with each option's getopt code.
#pragma once

#include <array>

#include "cli/getopt_parse.h"
#include "option_table.h"

namespace findmnt {

// In util-linux's longopts order.
const std::array<cli::LongOption, kOptions.size()>& long_options();

// util-linux's optstring: "AabCcDd:ehiJfF:o:O:p::..." in our table order.
std::string short_options();

// The option a getopt_long return value stands for (the value is getopt_code(), see option_table.h).
Opt opt_of_code(int code);

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
#include "getopt_tables.h"

#include <algorithm>

namespace findmnt {

const std::array<cli::LongOption, kOptions.size()>& long_options() {
  static const std::array<cli::LongOption, kOptions.size()> longs = [] {
    std::array<cli::LongOption, kOptions.size()> out{};
    for (std::size_t i = 0; i < kOptions.size(); ++i)
      out[i] = cli::LongOption{kOptions[i].long_name, kOptions[i].arg, getopt_code(kOptions[i].id),
                               kOptions[i].legacy};
    return out;
  }();
  return longs;
}

std::string short_options() {
  std::string out;
  for (const OptSpec& spec : kOptions) {
    if (!spec.short_name) continue;
    out += spec.short_name;
    // -k stays bare: --kernel's optional method (util-linux 2.41) is for the long form only.
    if (spec.arg == cli::Arg::Required) out += ":";
    if (spec.arg == cli::Arg::Optional && spec.id != Opt::Kernel) out += "::";
  }
  return out;
}

Opt opt_of_code(int code) {
  const auto* it = std::find_if(kOptions.begin(), kOptions.end(),
                                [code](const OptSpec& s) { return getopt_code(s.id) == code; });
  return it != kOptions.end() ? it->id : Opt::Help;  // getopt_long returns only codes from the table
}

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/mount_options.h"

#include "kernel/swaps.h"

namespace detach {

std::optional<std::string> mount_option_value(std::string_view options, std::string_view key) {
  if (key.empty()) return std::nullopt;
  // Every ',' ends an option: one inside a value is escaped. (libmount would read a '"' as a quote, but the
  // kernel never quotes: a '"' is part of a path.)
  for (std::size_t begin = 0; begin < options.size();) {
    std::size_t end = options.find(',', begin);
    if (end == std::string_view::npos) end = options.size();
    std::string_view option = options.substr(begin, end - begin);
    begin = end + 1;
    if (option.size() <= key.size() + 1 || !option.starts_with(key) || option[key.size()] != '=') continue;
    return unescape_octal(std::string(option.substr(key.size() + 1)));
  }
  return std::nullopt;
}

}  // namespace detach

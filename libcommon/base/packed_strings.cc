// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/packed_strings.h"

#include <charconv>

namespace detach {

std::string pack_strings(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    out += std::to_string(item.size());
    out += ':';
    out += item;
  }
  return out;
}

std::optional<std::vector<std::string>> unpack_strings(std::string_view bytes) {
  std::vector<std::string> out;
  while (!bytes.empty()) {
    std::size_t colon = bytes.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 20) return std::nullopt;
    std::size_t size = 0;
    auto [end, ec] = std::from_chars(bytes.data(), bytes.data() + colon, size);
    if (ec != std::errc() || end != bytes.data() + colon) return std::nullopt;
    bytes.remove_prefix(colon + 1);
    if (size > bytes.size()) return std::nullopt;
    out.emplace_back(bytes.substr(0, size));
    bytes.remove_prefix(size);
  }
  return out;
}

}  // namespace detach

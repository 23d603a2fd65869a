// SPDX-License-Identifier: GPL-2.0-or-later
#include "list_parse.h"

namespace findmnt {

std::optional<std::vector<int>> parse_id_list(
    std::string_view list, std::size_t room,
    const std::function<std::optional<int>(std::string_view name, std::string_view rest)>& to_id) {
  std::vector<int> ids;
  if (list.empty() || room == 0) return std::nullopt;
  std::size_t begin = std::string_view::npos;
  for (std::size_t p = 0; p < list.size(); ++p) {
    if (ids.size() >= room) return std::nullopt;
    if (begin == std::string_view::npos) begin = p;
    std::size_t end = std::string_view::npos;
    if (list[p] == ',') end = p;
    if (p + 1 == list.size()) end = p + 1;  // a trailing ',' stays part of the last name, as in util-linux
    if (end == std::string_view::npos) continue;
    if (end <= begin) return std::nullopt;
    auto id = to_id(list.substr(begin, end - begin), list.substr(begin));
    if (!id) return std::nullopt;
    ids.push_back(*id);
    begin = std::string_view::npos;
  }
  return ids;
}

}  // namespace findmnt

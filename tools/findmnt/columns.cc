// SPDX-License-Identifier: GPL-2.0-or-later
#include "columns.h"

#include "cli/i18n.h"
#include "list_parse.h"

namespace findmnt {

std::optional<Column> column_by_name(std::string_view name) {
  for (const ColumnSpec& spec : kColumns)
    if (detach::output::iequals(spec.info.name, name)) return spec.id;
  return std::nullopt;
}

// util-linux sizes its column array as twice its column count; the same limit keeps "too many" the same.
inline constexpr std::size_t kMaxColumns = 2 * 27;

std::optional<std::string> parse_column_list(std::string_view list, std::vector<Column>& columns) {
  if (list.empty()) return std::string();  // util-linux fails without a word
  if (list[0] == '+') {
    list.remove_prefix(1);
  } else {
    columns.clear();
  }
  std::string message;
  auto to_id = [&](std::string_view name, std::string_view rest) -> std::optional<int> {
    if (auto col = column_by_name(name)) return static_cast<int>(*col);
    message = cli::cformat(cli::ul("unknown column: %s"), std::string(rest).c_str());
    return std::nullopt;
  };
  std::size_t room = columns.size() < kMaxColumns ? kMaxColumns - columns.size() : 0;
  auto ids = parse_id_list(list, room, to_id);
  if (!ids) return message;
  for (int id : *ids) columns.push_back(static_cast<Column>(id));
  return std::nullopt;
}

const char* column_help(const ColumnSpec& spec) {
  const bool upstream = spec.scope == Scope::Always || spec.scope == Scope::Poll;
  return upstream ? cli::ul(spec.info.help.data()) : detach::tr(spec.info.help.data());
}

detach::output::JsonType json_type(Column column, bool bytes) {
  switch (column) {
    case Column::Size:
    case Column::Avail:
    case Column::Used:
      return bytes ? JsonType::Number : JsonType::String;
    default:
      return column_spec(column).info.json;
  }
}

}  // namespace findmnt

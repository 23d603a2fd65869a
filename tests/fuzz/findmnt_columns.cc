// SPDX-License-Identifier: GPL-2.0-or-later
// findmnt's -o/--output list (tools/findmnt/columns.cc parse_column_list, list_parse.cc parse_id_list:
// util-linux's string_to_idarray). Properties: a list parses only into columns each named in it, in its
// order, never more than util-linux's 54; a '+' list adds to what was there; any name list that parses is the
// list joined back with ','; a failure says "unknown column: REST" for a REST that ends the list.
#include <vector>

#include "columns.h"
#include "fuzz_check.h"
#include "list_parse.h"

namespace {

void check_columns(const std::string& list) {
  std::vector<findmnt::Column> columns = {findmnt::Column::Source, findmnt::Column::Target};
  const std::vector<findmnt::Column> before = columns;
  auto error = findmnt::parse_column_list(list, columns);
  if (error) {
    if (!error->empty()) {
      FUZZ_CHECK(error->rfind("unknown column: ", 0) == 0);
      std::string rest = error->substr(16);
      FUZZ_CHECK(list.size() >= rest.size() &&
                 list.compare(list.size() - rest.size(), rest.size(), rest) == 0);
    }
    return;
  }
  FUZZ_CHECK(columns.size() <= 54);
  bool append = !list.empty() && list[0] == '+';
  std::size_t first_new = append ? before.size() : 0;
  if (append) FUZZ_CHECK(std::equal(before.begin(), before.end(), columns.begin()));
  std::string joined;
  for (std::size_t i = first_new; i < columns.size(); ++i) {
    if (i > first_new) joined += ',';
    joined += findmnt::column_spec(columns[i]).info.name;
  }
  std::string names = append ? list.substr(1) : list;
  FUZZ_CHECK(joined.size() == names.size());
  FUZZ_CHECK(detach::output::iequals(joined, names));
}

void check_id_list(const std::string& list) {
  std::vector<std::string> names;
  auto ids = findmnt::parse_id_list(list, 64,
                                    [&](std::string_view name, std::string_view rest) -> std::optional<int> {
                                      FUZZ_CHECK(!name.empty());
                                      FUZZ_CHECK(rest.substr(0, name.size()) == name);
                                      names.emplace_back(name);
                                      return static_cast<int>(names.size() - 1);
                                    });
  if (!ids) return;
  FUZZ_CHECK(ids->size() == names.size() && ids->size() <= 64);
  std::string joined;
  for (std::size_t i = 0; i < names.size(); ++i) joined += (i ? "," : "") + names[i];
  FUZZ_CHECK(joined == list);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  if (text.find('\0') != std::string::npos) return 0;  // an argv string holds no NUL
  check_columns(text);
  check_id_list(text);
  return 0;
}

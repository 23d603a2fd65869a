// SPDX-License-Identifier: GPL-2.0-or-later
// A tool's output columns as one constexpr table: it drives -o, --help, --list-columns and JSON types.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace detach::output {

// Mirrors libsmartcols' SCOLS_JSON_* values, so a column table does not need libsmartcols.h (output/table.cc
// static_asserts each against it).
enum class JsonType { String = 0, Number = 1, Boolean = 2, ArrayString = 3, ArrayNumber = 4 };

// Mirrors SCOLS_FL_*: the column table stays constexpr and header-only (checked in output/table.cc).
namespace flag {
inline constexpr int kTrunc = 1 << 0;
inline constexpr int kTree = 1 << 1;
inline constexpr int kRight = 1 << 2;
inline constexpr int kStrictWidth = 1 << 3;
inline constexpr int kNoExtremes = 1 << 4;
inline constexpr int kHidden = 1 << 5;
inline constexpr int kWrap = 1 << 6;
}  // namespace flag

struct ColumnInfo {
  std::string_view name;  // header, and the name -o accepts (case-insensitive)
  double width_hint;      // < 1: fraction of the terminal width; >= 1: columns
  int flags;              // flag::k*
  JsonType json;          // type in -J output
  std::string_view help;  // one line for --help and --list-columns
};

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// Index of the column called `name` (case-insensitive, as util-linux compares), if any.
template <std::size_t N>
constexpr std::optional<std::size_t> find_column(const std::array<ColumnInfo, N>& table,
                                                 std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (iequals(table[i].name, name)) return i;
  return std::nullopt;
}

}  // namespace detach::output

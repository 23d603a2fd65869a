// SPDX-License-Identifier: GPL-2.0-or-later
// A small RAII wrapper over libsmartcols: one Table owns its columns and lines; print() renders it exactly as
// util-linux tools do (tree, list, raw, pairs, JSON), because it is the same library doing the work.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "output/columns.h"

struct libscols_table;
struct libscols_line;
struct libscols_column;

namespace detach::output {

// Output styles, each a libsmartcols table mode.
struct Style {
  bool raw = false;
  bool json = false;
  bool pairs = false;     // KEY="value" ("export" in libsmartcols)
  bool shellvar = false;  // column names usable as shell variables (MAJ:MIN -> MAJ_MIN)
  bool ascii = false;     // tree drawn with ASCII characters
  bool noheadings = false;
};

// A line of a Table; it does not own anything (the table does), so it is cheap to copy.
class Line {
 public:
  Line() = default;
  explicit Line(libscols_line* line) : line_(line) {}
  // Sets the text of cell `column`; returns false when libsmartcols refuses it (out of memory, bad index).
  bool set(std::size_t column, std::string_view text);
  // Hands a malloc()ed text to cell `column` without a copy; the cell frees it (and so does a refusal).
  bool take(std::size_t column, char* text);
  bool valid() const { return line_ != nullptr; }
  libscols_line* native() const { return line_; }

 private:
  libscols_line* line_ = nullptr;
};

class Table {
 public:
  Table();
  ~Table();
  Table(Table&& other) noexcept;
  Table& operator=(Table&& other) noexcept;
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  bool valid() const { return table_ != nullptr; }
  void set_style(const Style& style);
  // Name of the top-level JSON array ("filesystems").
  void set_name(const std::string& name);
  void set_stream(FILE* stream);

  // Adds a column; `flags` are flag::k*. A column with flag::kWrap gets newline-separated multi-line cells.
  // Returns false when libsmartcols could not allocate it.
  bool add_column(std::string_view name, double width_hint, int flags);
  bool add_column(std::string_view name, double width_hint, int flags, JsonType json);
  std::size_t column_count() const { return ncolumns_; }

  // A new line, as a child of `parent` when it is valid (tree output).
  Line new_line(Line parent = Line());
  std::size_t line_count() const;
  // Drops every line (used between --poll rounds).
  void remove_lines();

  // Renders the whole table; returns 0 or a negative errno from libsmartcols.
  int print();
  // Renders the current lines, newline-terminated, without closing the output (used by --poll, which prints
  // as events come and then drops the printed lines).
  int print_lines();

  libscols_table* native() const { return table_; }
  // Gives up ownership, as unique_ptr::release(): for a run that ends after printing and leaves a big table
  // to the kernel to reclaim at exit rather than freeing it line by line.
  libscols_table* release() { return std::exchange(table_, nullptr); }

 private:
  libscols_table* table_ = nullptr;
  std::size_t ncolumns_ = 0;
};

}  // namespace detach::output

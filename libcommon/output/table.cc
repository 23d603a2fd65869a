// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/table.h"

#include <libsmartcols.h>

#include <cstdlib>
#include <utility>

namespace detach::output {

// columns.h mirrors these values so that column tables need no libsmartcols.h; a libsmartcols that changed
// one fails the build here instead of printing wrong columns.
static_assert(flag::kTrunc == SCOLS_FL_TRUNC);
static_assert(flag::kTree == SCOLS_FL_TREE);
static_assert(flag::kRight == SCOLS_FL_RIGHT);
static_assert(flag::kStrictWidth == SCOLS_FL_STRICTWIDTH);
static_assert(flag::kNoExtremes == SCOLS_FL_NOEXTREMES);
static_assert(flag::kHidden == SCOLS_FL_HIDDEN);
static_assert(flag::kWrap == SCOLS_FL_WRAP);
static_assert(static_cast<int>(JsonType::String) == SCOLS_JSON_STRING);
static_assert(static_cast<int>(JsonType::Number) == SCOLS_JSON_NUMBER);
static_assert(static_cast<int>(JsonType::Boolean) == SCOLS_JSON_BOOLEAN);
static_assert(static_cast<int>(JsonType::ArrayString) == SCOLS_JSON_ARRAY_STRING);
static_assert(static_cast<int>(JsonType::ArrayNumber) == SCOLS_JSON_ARRAY_NUMBER);

bool Line::set(std::size_t column, std::string_view text) {
  if (!line_) return false;
  // libsmartcols copies the text (scols_line_set_data strdup()s it), so the caller keeps ownership.
  std::string copy(text);
  return scols_line_set_data(line_, column, copy.c_str()) == 0;
}

bool Line::take(std::size_t column, char* text) {
  if (line_ && scols_line_refer_data(line_, column, text) == 0) return true;
  std::free(text);  // libsmartcols refused it (bad index) and left it ours
  return false;
}

Table::Table() : table_(scols_new_table()) {}

Table::~Table() {
  if (table_) scols_unref_table(table_);
}

Table::Table(Table&& other) noexcept
    : table_(std::exchange(other.table_, nullptr)), ncolumns_(std::exchange(other.ncolumns_, 0)) {}

Table& Table::operator=(Table&& other) noexcept {
  if (this != &other) {
    if (table_) scols_unref_table(table_);
    table_ = std::exchange(other.table_, nullptr);
    ncolumns_ = std::exchange(other.ncolumns_, 0);
  }
  return *this;
}

void Table::set_style(const Style& style) {
  scols_table_enable_raw(table_, style.raw);
  scols_table_enable_export(table_, style.pairs);
  scols_table_enable_shellvar(table_, style.shellvar);
  scols_table_enable_json(table_, style.json);
  scols_table_enable_ascii(table_, style.ascii);
  scols_table_enable_noheadings(table_, style.noheadings);
}

void Table::set_name(const std::string& name) {
  scols_table_set_name(table_, name.c_str());
}

void Table::set_stream(FILE* stream) {
  scols_table_set_stream(table_, stream);
}

bool Table::add_column(std::string_view name, double width_hint, int flags) {
  std::string cname(name);
  libscols_column* column = scols_table_new_column(table_, cname.c_str(), width_hint, flags);
  if (!column) return false;
  if (flags & flag::kWrap) {
    // Multi-line cells: one value per line, and the newline must survive the output encoding.
    scols_column_set_wrapfunc(column, scols_wrapnl_chunksize, scols_wrapnl_nextchunk, nullptr);
    scols_column_set_safechars(column, "\n");
  }
  ++ncolumns_;
  return true;
}

bool Table::add_column(std::string_view name, double width_hint, int flags, JsonType json) {
  if (!add_column(name, width_hint, flags)) return false;
  libscols_column* column = scols_table_get_column(table_, ncolumns_ - 1);
  return scols_column_set_json_type(column, static_cast<int>(json)) == 0;
}

Line Table::new_line(Line parent) {
  return Line(scols_table_new_line(table_, parent.native()));
}

std::size_t Table::line_count() const {
  return scols_table_get_nlines(table_);
}

void Table::remove_lines() {
  scols_table_remove_lines(table_);
}

int Table::print() {
  return scols_print_table(table_);
}

int Table::print_lines() {
  int rc = scols_table_print_range(table_, nullptr, nullptr);
  // A range ends without its last newline; util-linux's pollers add it, so a stream of ranges reads as lines.
  if (rc == 0) std::fputc('\n', scols_table_get_stream(table_));
  return rc;
}

}  // namespace detach::output

// SPDX-License-Identifier: GPL-2.0-or-later
// The text of one cell: what findmnt prints for a filesystem in a given column.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "context.h"

namespace findmnt {

// A cell's text, malloc()ed for libsmartcols to take over (Line::take), as util-linux hands it get_data()'s
// strdup(): one allocation per cell, not three (a std::string, Line::set's copy, libsmartcols' strdup).
struct FreeChars {
  void operator()(char* text) const { std::free(text); }
};
using CellText = std::unique_ptr<char, FreeChars>;

// Null: the cell stays empty.
CellText cell_text(libmnt_fs* fs, Column column, Context& ctx);

// --poll rows: ACTION, OLD-TARGET and OLD-OPTIONS come from the change, the rest from the new (or old) entry.
CellText tabdiff_cell_text(libmnt_fs* old_fs, libmnt_fs* new_fs, int change, Column column, Context& ctx);

// MAJ:MIN as findmnt prints it: "%3u:%-3u" in a table, "%u:%u" in raw, pairs and JSON.
std::string majmin_text(dev_t devno, const Config& cfg);

// util-linux's size_to_human_string(SIZE_SUFFIX_1LETTER): 1024-based, one decimal, "1.5G".
std::string human_size(std::uint64_t bytes);

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
// --help, --version and --list-columns: the text comes from the option and column tables.
#pragma once

#include "config.h"

namespace findmnt {

void print_usage();
void print_version();
// -H: every column with its JSON type and help, as a table (raw with -r, JSON with -J).
int list_columns(const Config& cfg);

}  // namespace findmnt

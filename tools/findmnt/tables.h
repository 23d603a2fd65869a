// SPDX-License-Identifier: GPL-2.0-or-later
// Reading mount tables through libmount: fstab, mtab/utab, kernel mountinfo, or tab files given with -F/-N.
#pragma once

#include "context.h"

namespace findmnt {

// Parses every file (or the default for the table type); on failure prints "can't read PATH: ..." and
// returns null. Parse errors inside a file are reported per line and counted in ctx.parse_errors.
MntTable load_table(Context& ctx, TabType type);

// libmount's parser error callback: "FILE: parse error at line N -- ignored", counted in ctx.parse_errors
// (the table's userdata is the Context).
int on_parse_error(libmnt_table* tb, const char* filename, int line);

// True when the table has parent/child links (a kernel table read from mountinfo): tree output is possible.
bool table_is_tree(libmnt_table* tb);
// True when every entry came from the kernel (an mtab that is really /proc/self/mounts).
bool table_is_kernel(libmnt_table* tb);

// Lets the cache know the mounted filesystems, so paths in fstab/mtab compare against real mount points.
void cache_set_targets(libmnt_cache* cache);

}  // namespace findmnt

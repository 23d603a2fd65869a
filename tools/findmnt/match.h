// SPDX-License-Identifier: GPL-2.0-or-later
// Which filesystems a run shows: findmnt's filters (-S -T -t -O, --id, --real...) and its search modes.
#pragma once

#include "context.h"

namespace findmnt {

// "findmnt" with no filter: every entry is listed.
bool is_listall_mode(const Config& cfg, const Match& match);

// Does `fs` pass every filter (inverted by -i)?
bool match_fs(libmnt_fs* fs, Context& ctx);

// The next entry to show, following findmnt's search modes: the whole table, a mount(8)-like lookup (-f), or
// every match, retrying a source as a target when nothing matched it as a source.
libmnt_fs* next_fs(libmnt_table* tb, libmnt_iter* itr, Context& ctx);

// --target given a plain file or directory: match the mount point that holds it instead.
void enable_extra_target_match(libmnt_table* tb, Context& ctx);

}  // namespace findmnt

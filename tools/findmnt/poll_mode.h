// SPDX-License-Identifier: GPL-2.0-or-later
// --poll: print changes of the mount table as they happen (libmount tabdiff on a mountinfo poll).
#pragma once

#include "context.h"
#include "output/table.h"

namespace findmnt {

// Watches `tabfile` (mountinfo) until the timeout (-w) or, with -f, the first change; `tb` is the table read
// at start. Returns true on a clean end.
bool poll_table(Context& ctx, MntTable tb, const std::string& tabfile, detach::output::Table& out);

}  // namespace findmnt

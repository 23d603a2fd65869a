// SPDX-License-Identifier: GPL-2.0-or-later
// --kernel=listmount: the mount table from listmount(2)/statmount(2) (Linux 6.8+), which also gives each
// mount's 64-bit unique id (UNIQ-ID, --uniq-id). libmount 2.38 cannot build such a table itself, so the
// mounts are written as mountinfo lines and parsed by libmount, keeping every other column identical.
#pragma once

#include "context.h"

namespace findmnt {

// Null after a message ("failed to fetch mount nodes: ...") when the kernel has no listmount.
MntTable load_listmount_table(Context& ctx);

}  // namespace findmnt

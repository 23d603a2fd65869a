// SPDX-License-Identifier: GPL-2.0-or-later
// The ordinary findmnt run: read a mount table, pick the entries, print them (or verify, or poll).
#pragma once

#include "context.h"

namespace findmnt {

int run_mount_table(Context& ctx);

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
// --verify: check a table (fstab by default) for unreachable targets and sources, wrong order, unsupported or
// mismatching fs types; "[E]"/"[W]" lines on stdout, the summary on stderr, as util-linux does.
#pragma once

#include "context.h"

namespace findmnt {

// Exit code: 0 when no errors and no parse errors.
int verify_table(Context& ctx, libmnt_table* tb);

}  // namespace findmnt

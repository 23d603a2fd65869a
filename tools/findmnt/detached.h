// SPDX-License-Identifier: GPL-2.0-or-later
// --detached: filesystems lazily unmounted (umount -l) that something still pins, from one system snapshot,
// through the same filters (-t -S -N --id --uniq-id) and outputs (tree, -l, -r, -P, -J) as the mount table.
#pragma once

#include "context.h"

namespace findmnt {

// Exit code: 0 when at least one detached mount was listed, 1 when none (as findmnt when nothing matches).
int run_detached(Context& ctx);

// --detached --poll: prints each lazy detach and each real end until -w expires (detached_poll.cc).
int poll_detached(Context& ctx);

// After a search by device found nothing: if lazily unmounted mounts of that device are still pinned, say so
// on stderr (the exit code stays util-linux's). Costs a system scan, so only called on that failure path.
void hint_detached_holders(const Context& ctx);

}  // namespace findmnt

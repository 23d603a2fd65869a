// SPDX-License-Identifier: GPL-2.0-or-later
// A pin looked at again, now: for a tool that acts on a pinner after the scan (fuser -k signals only a
// process that still holds what it was found holding), or prints what the scan did not read (an fd's access
// mode, for an fd it gave no details).
#pragma once

#include "model/pin.h"
#include "scan/scan.h"

namespace detach {

// Whether task pin PIN (cwd, root, exe, an fd, an mmap) still holds the same mount, and for one object the
// same inode, as when the scan saw it. A range pin is checked by its first fd. False when it is gone or
// cannot be read. IDS: the id family of the snapshot PIN comes from.
bool still_holds(const ScanOptions& options, IdKind ids, const Pin& pin);

// The access mode of fd pin PIN (its first fd), read now; Unknown when it cannot be read.
Access fd_access_now(const ScanOptions& options, const Pin& pin);

}  // namespace detach

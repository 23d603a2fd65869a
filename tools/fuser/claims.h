// SPDX-License-Identifier: GPL-2.0-or-later
// A device a filesystem claims besides its source (an xfs log, an ext4 journal, another btrfs device): fuser
// -v names that filesystem in a kernel row of its own, as psmisc names a mount or a swap area.
#pragma once

#include <string>

#include "model/snapshot.h"
#include "query.h"

namespace fuser {

// The COMMAND of the row, in the user's language: where the filesystem is mounted, or was, and what the
// device is to it:
// "/mnt/x (external log device of xfs /dev/loop0)", "/mnt/b (device of btrfs /dev/loop4, detached)",
// "(external journal device of ext4 /dev/loop2, detached; mount point not recorded)".
std::string claim_words(const detach::Snapshot& snap, const detach::ClaimedDevice& claim);

// A kernel row in R for each filesystem that claims block device DEV.
void add_claim_rows(Report& r, const detach::Snapshot& snap, detach::DeviceNumber dev);

}  // namespace fuser

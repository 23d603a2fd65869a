// SPDX-License-Identifier: GPL-2.0-or-later
// --detached: the processes (and kernel objects) that keep lazily detached mounts alive, and what fuser says
// when a -m name's filesystem is only detached.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "match.h"
#include "query.h"

namespace fuser {

// A detached mount in words, for the COMMAND of its -v "kernel mount" line (psmisc's shows the mount point):
// "/mnt/x (ext2 /dev/sdb, detached)", "(ext2 /dev/sdb, detached; mount point not recorded)". WITH_SOURCE:
// name its device (not when the report's label is that device already).
std::string detached_words(const detach::Mount& m, bool with_source);

// Q is a Detached query: every detached mount (one report each) or those of a device or former mount point
// (one report). For mounts nothing placed keeps alive, a note of what may (the scan could not place it).
std::vector<Report> match_detached(const Query& q, const MatchContext& ctx, std::vector<std::string>& notes);

// For a -m query whose filesystem is MOUNTS: that it is mounted nowhere but lazily detached and still used,
// or that a detached filesystem was mounted at the name's path (which now shows what is under it).
void note_detached_filesystem(const Query& q, const std::set<detach::MountKey>& mounts,
                              const detach::Snapshot& snap, std::vector<std::string>& notes);

}  // namespace fuser

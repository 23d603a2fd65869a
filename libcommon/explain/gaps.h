// SPDX-License-Identifier: GPL-2.0-or-later
// What the scan could not see, in words a user acts on. A tool says it only where it could change what it
// printed (explain never decides that: the tool knows what it printed).
#pragma once

#include <string>

#include "base/i18n.h"
#include "model/snapshot.h"

namespace detach {

// "could not read process 1 (systemd): permission denied", or for several "could not read 12 processes
// (permission denied): 1 (systemd), 40 (agent), 77 (x) and 9 more"; empty when nothing was refused.
std::string denied_processes_text(const ScanGaps& gaps);

// " (root sees more)" after what a scan without root's view could not read; empty for root's scan.
std::string root_sees_more(const ScanGaps& gaps);

// "3 mounts pinned by processes are in no mount namespace this user can list: attached elsewhere or detached,
// only root can tell" (in a child PID namespace: the namespaces of its processes, only the initial PID
// namespace can tell); empty when there are none.
std::string unverified_mounts_text(const Snapshot& snapshot);

// What an unverified mount (Mount::unverified) may be besides detached, said beside a claim that it is:
// "no mount namespace this user can list has it mounted: it may be mounted in another, only root can tell".
std::string unverified_mount_text(const Snapshot& snapshot);

// "detached mount 42 (fuse) could not be probed: its filesystem did not answer in time", in WORDS: a detached
// mount whose filesystem did not answer, so its cells are empty; empty when it did.
std::string unprobed_mount_text(const Mount& m, const Words& words);

}  // namespace detach

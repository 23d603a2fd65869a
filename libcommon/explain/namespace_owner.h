// SPDX-License-Identifier: GPL-2.0-or-later
// Who owns a mount namespace, for a reason that names a mount in it: a mount in another namespace is only
// actionable with who is in that namespace, or what keeps it alive.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace detach {

struct NamespaceOwner {
  std::uint64_t id = 0;                    // NS_GET_MNTNS_ID, 0 when unknown
  std::vector<pid_t> tasks;                // the processes in it, pid order
  std::vector<std::string> units;          // the units or container scopes they run in, once each, pid order
  std::vector<std::string> kept_alive_by;  // when no process is in it, what keeps it ("nsfs mount /x")
};

// The owner of the namespace mnt:[INODE] as SNAPSHOT saw it; empty when the snapshot has no such namespace.
NamespaceOwner namespace_owner(const Snapshot& snapshot, std::uint64_t inode);

// Who owns a namespace, in the user's language: "no process in it; kept alive by nsfs mount /run/netns/x",
// "processes in it: 999 (nginx), 1000 (nginx)", the first few of TASKS named (their commands from SNAPSHOT),
// and with UNITS "...; unit docker-ab12.scope"; empty when neither TASKS nor KEPT_ALIVE_BY says anything.
std::string namespace_owner_text(const Snapshot& snapshot, const std::vector<pid_t>& tasks,
                                 const std::vector<std::string>& kept_alive_by,
                                 const std::vector<std::string>& units);

}  // namespace detach

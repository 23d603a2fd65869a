// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/namespace_owner.h"

#include <algorithm>

namespace detach {

NamespaceOwner namespace_owner(const Snapshot& snapshot, std::uint64_t inode) {
  NamespaceOwner owner;
  for (const Namespace& ns : snapshot.namespaces) {
    if (ns.inode != inode) continue;
    owner.id = ns.id;
    owner.tasks = ns.tasks;
    std::sort(owner.tasks.begin(), owner.tasks.end());
    owner.kept_alive_by = ns.kept_alive_by;
    for (pid_t pid : owner.tasks) {
      const Task* task = snapshot.task(pid);
      if (task == nullptr || task->unit.empty()) continue;
      if (std::find(owner.units.begin(), owner.units.end(), task->unit) == owner.units.end())
        owner.units.push_back(task->unit);
    }
  }
  return owner;
}

}  // namespace detach

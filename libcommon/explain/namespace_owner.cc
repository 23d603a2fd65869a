// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/namespace_owner.h"

#include <algorithm>

#include "base/i18n.h"
#include "explain/printable.h"

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

std::string namespace_owner_text(const Snapshot& snapshot, const std::vector<pid_t>& tasks,
                                 const std::vector<std::string>& kept_alive_by,
                                 const std::vector<std::string>& units) {
  constexpr std::size_t kMaxTasksShown = 3;
  if (tasks.empty() && kept_alive_by.empty()) return "";
  if (tasks.empty()) {
    std::string holders;
    for (std::size_t i = 0; i < kept_alive_by.size(); ++i)
      holders += (i ? ", " : "") + printable(kept_alive_by[i]);
    return trf("no process in it; kept alive by {0}", holders);
  }
  std::string named;
  for (std::size_t i = 0; i < tasks.size() && i < kMaxTasksShown; ++i) {
    named += (i ? ", " : "") + std::to_string(tasks[i]);
    if (const Task* task = snapshot.task(tasks[i]); task != nullptr && !task->command.empty())
      named += " (" + printable(task->command) + ")";
  }
  if (tasks.size() > kMaxTasksShown) named = trf("{0} and {1} more", named, tasks.size() - kMaxTasksShown);
  std::string out = trnf("process in it: {0}", "processes in it: {0}", tasks.size(), named);
  if (units.empty()) return out;
  std::string unit_list;
  for (std::size_t i = 0; i < units.size(); ++i) unit_list += (i ? ", " : "") + printable(units[i]);
  // TRANSLATORS: {0} is "processes in it: ...", {1} the units they run in.
  return trnf("{0}; unit {1}", "{0}; units {1}", units.size(), out, unit_list);
}

}  // namespace detach

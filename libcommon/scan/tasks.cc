// SPDX-License-Identifier: GPL-2.0-or-later
// Who the pinners are: command, user, and the unit or container scope from the cgroup.
#include <pwd.h>

#include <algorithm>
#include <map>
#include <set>

#include "kernel/nsfs.h"
#include "kernel/procfs.h"
#include "kernel/statx.h"
#include "scan/scan_state.h"

namespace detach::scan {

namespace {

std::string user_name(uid_t uid) {
  struct passwd pwd {};
  struct passwd* found = nullptr;
  char buf[4096];
  if (::getpwuid_r(uid, &pwd, buf, sizeof buf, &found) == 0 && found != nullptr) return found->pw_name;
  return std::to_string(uid);
}

// One passwd lookup per user, not per task: a host runs many processes of few users.
class UserNames {
 public:
  const std::string& of(uid_t uid) {
    auto it = names_.find(uid);
    if (it == names_.end()) it = names_.emplace(uid, user_name(uid)).first;
    return it->second;
  }

 private:
  std::map<uid_t, std::string> names_;
};

Task read_task(const std::string& proc_root, pid_t pid, UserNames& users) {
  std::string dir = proc_root + "/" + std::to_string(pid);
  Task task;
  task.pid = pid;
  if (auto comm = read_file(dir + "/comm")) task.command = chomp(std::move(*comm));
  if (auto owner = owner_uid(dir)) task.owner = *owner;
  if (auto status = read_file(dir + "/status")) {
    if (auto uid = parse_status_uid(*status)) {
      task.uid = *uid;
      task.user = users.of(*uid);
    }
  }
  if (auto stat = read_file(dir + "/stat")) task.start_time = parse_stat_start_time(*stat).value_or(0);
  if (auto cgroup = read_file(dir + "/cgroup")) {
    task.cgroup = parse_cgroup(*cgroup);
    task.unit = unit_from_cgroup(task.cgroup);
  }
  return task;
}

// Pins a tool will show: those the scan gave details to, and every pin of a detached mount.
bool shown(const Snapshot& snapshot, const Pin& pin) {
  if (pin.detailed || pin.rdev != DeviceNumber{}) return true;
  const Mount* m = snapshot.mount(pin.mount);
  return m != nullptr && !m->attached;
}

// Enough tasks of a namespace to tell who owns it (its unit, a command or two to recognise).
constexpr std::size_t kTasksPerNamespace = 4;

// The first tasks (by pid) of each namespace that lists a mount with pin details.
void add_namespace_tasks(const ScanState& state, std::set<pid_t>& pids) {
  const Snapshot& snapshot = state.snapshot;
  const auto& detailed = state.options.detail_pins_of;
  for (const Namespace& ns : snapshot.namespaces) {
    bool asked = std::any_of(ns.mounts.begin(), ns.mounts.end(), [&](MountKey key) {
      const Mount* m = snapshot.mount(key);
      return m != nullptr && (!detailed || detailed(*m));
    });
    if (!asked) continue;
    std::vector<pid_t> tasks = ns.tasks;
    std::sort(tasks.begin(), tasks.end());
    if (tasks.size() > kTasksPerNamespace) tasks.resize(kTasksPerNamespace);
    pids.insert(tasks.begin(), tasks.end());
  }
}

// The first task (by pid) of each other namespace a kernel object's mount is attached in (an overlay in a
// container): its unit names that namespace where the object is named.
void add_holder_namespace_tasks(const ScanState& state, std::set<pid_t>& pids) {
  const Snapshot& snapshot = state.snapshot;
  std::set<std::uint64_t> inodes;
  for (const Pin& pin : snapshot.pins)
    if (const Mount* m = pin.via != 0 ? snapshot.mount(pin.via) : nullptr;
        m != nullptr && m->attached && m->ns_inode != snapshot.own_ns_inode)
      inodes.insert(m->ns_inode);
  for (const Namespace& ns : snapshot.namespaces)
    if (inodes.count(ns.inode) && !ns.tasks.empty())
      pids.insert(*std::min_element(ns.tasks.begin(), ns.tasks.end()));
}

}  // namespace

void describe_tasks(ScanState& state) {
  std::set<pid_t> pids;
  for (const Pin& pin : state.snapshot.pins)
    if (is_task_pin(pin.kind) && shown(state.snapshot, pin)) pids.insert(pin.pid);
  if (state.options.describe_namespace_tasks) add_namespace_tasks(state, pids);
  add_holder_namespace_tasks(state, pids);
  UserNames users;
  for (pid_t pid : pids) {
    Task task = read_task(state.options.proc_root, pid, users);
    // state.tasks is in pid order (list_tasks reads a sorted pid list).
    auto ref = std::lower_bound(state.tasks.begin(), state.tasks.end(), pid,
                                [](const TaskRef& t, pid_t p) { return t.pid < p; });
    if (ref != state.tasks.end() && ref->pid == pid) task.mnt_ns_inode = ref->ns_inode;
    state.snapshot.tasks[pid] = std::move(task);
  }
}

}  // namespace detach::scan

namespace detach {

void describe_processes(const ScanOptions& options, Snapshot& snapshot, const std::vector<pid_t>& pids) {
  scan::UserNames users;
  for (pid_t pid : pids) {
    if (snapshot.tasks.count(pid)) continue;
    Task task = scan::read_task(options.proc_root, pid, users);
    if (auto link = read_link(options.proc_root + "/" + std::to_string(pid) + "/ns/mnt"))
      task.mnt_ns_inode = parse_mnt_ns_link(*link);
    snapshot.tasks[pid] = std::move(task);
  }
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Mount namespaces and their attached mounts.
#include <algorithm>
#include <map>

#include "kernel/listmount.h"
#include "kernel/nsfs.h"
#include "kernel/procfs.h"
#include "scan/scan_state.h"

namespace detach::scan {

namespace {

Namespace& namespace_by_inode(Snapshot& snapshot, std::uint64_t inode) {
  for (Namespace& ns : snapshot.namespaces)
    if (ns.inode == inode) return ns;
  Namespace& ns = snapshot.namespaces.emplace_back();
  ns.inode = inode;
  return ns;
}

void add_mount(Snapshot& snapshot, Namespace& ns, Mount m) {
  m.ns_inode = ns.inode;
  if (m.ns_id == 0) m.ns_id = ns.id;
  ns.mounts.push_back(m.key);
  snapshot.mounts[m.key] = std::move(m);
}

// listmount() + statmount() for one namespace. Fails as a whole only when the namespace cannot be listed.
Status list_with_listmount(Snapshot& snapshot, Namespace& ns) {
  auto ids = list_mount_ids(ns.id);
  if (!ids) return tl::unexpected(ids.error());
  for (std::uint64_t id : *ids) {
    auto m = stat_mount(id, ns.id);
    if (!m) continue;  // unmounted between the two calls
    add_mount(snapshot, ns, std::move(*m));
  }
  return {};
}

// The fallback: mountinfo of one task in the namespace, parsed by libmount; old ids only.
void list_with_mountinfo(ScanState& state, Namespace& ns) {
  for (pid_t pid : ns.tasks) {
    auto mounts = read_mountinfo(state.options.proc_root + "/" + std::to_string(pid) + "/mountinfo");
    if (!mounts) {
      state.note_error(mounts.error().err);
      continue;
    }
    for (Mount& m : *mounts) add_mount(state.snapshot, ns, std::move(m));
    return;
  }
  ++state.snapshot.gaps.namespaces_unlisted;
}

// A PID namespace's processes see only their own namespace's /proc: the initial one's inode is fixed
// (PROC_PID_INIT_INO).
bool in_child_pid_namespace(const std::string& proc_root) {
  auto link = read_link(proc_root + "/self/ns/pid");
  return link && *link != "pid:[4026531836]";
}

void attach_tasks(ScanState& state) {
  for (const TaskRef& task : state.tasks)
    if (task.ns_inode != 0) namespace_by_inode(state.snapshot, task.ns_inode).tasks.push_back(task.pid);
}

// The fast path: every namespace, even one no task is in, with unique ids. False when the kernel lacks it.
bool list_all_with_syscalls(ScanState& state) {
  auto handles = walk_mount_namespaces(state.options.proc_root);
  if (!handles) {
    // Refused (the walk needs CAP_SYS_ADMIN): namespaces of tasks we may not look at are unseen. An older
    // kernel without the walk still shows every namespace a task is in, to whoever may read every task.
    const int err = handles.error().err;
    ScanGaps& gaps = state.snapshot.gaps;
    const bool refused = err == EPERM || err == EACCES;
    gaps.namespaces_complete = !refused && gaps.denied_processes.empty();
    gaps.in_child_pid_namespace = refused && in_child_pid_namespace(state.options.proc_root);
    gaps.notes.push_back({ScanNoteKind::NamespaceWalkRefused, {handles.error().message()}});
    return false;
  }
  Snapshot& snapshot = state.snapshot;
  for (const MountNamespaceHandle& handle : *handles) {
    Namespace& ns = namespace_by_inode(snapshot, handle.inode);
    ns.id = handle.id;
  }
  for (Namespace& ns : snapshot.namespaces) {
    if (auto listed = list_with_listmount(snapshot, ns); !listed) {
      // A kernel with the namespace walk but without listmount by namespace cannot give unique ids
      // everywhere.
      snapshot.gaps.notes.push_back({ScanNoteKind::ListmountFailed, {listed.error().message()}});
      snapshot.mounts.clear();
      for (Namespace& n : snapshot.namespaces) n.mounts.clear();
      return false;
    }
  }
  snapshot.id_kind = IdKind::Unique;
  return true;
}

// The namespaces of the tasks seen, each by its id (NS_GET_MNTNS_ID on a task's ns link) and listmount():
// unique ids, so that the journal's records join, when the walk over every namespace was refused. False,
// with nothing listed, when one of them cannot be listed so (then mountinfo lists them all).
bool list_seen_with_syscalls(ScanState& state) {
  Snapshot& snapshot = state.snapshot;
  for (Namespace& ns : snapshot.namespaces) {
    if (ns.tasks.empty()) return false;
    auto handle = open_task_mount_namespace(state.options.proc_root, ns.tasks.front());
    if (!handle) return false;
    ns.id = handle->id;
  }
  for (Namespace& ns : snapshot.namespaces) {
    if (!list_with_listmount(snapshot, ns)) {
      snapshot.mounts.clear();
      for (Namespace& n : snapshot.namespaces) n.mounts.clear();
      return false;
    }
  }
  snapshot.id_kind = IdKind::Unique;
  return true;
}

}  // namespace

void list_tasks(ScanState& state) {
  auto pids = list_numeric_entries(state.options.proc_root);
  if (!pids) return;
  state.tasks.reserve(pids->size());
  for (int pid : *pids) {
    auto link = read_link(state.options.proc_root + "/" + std::to_string(pid) + "/ns/mnt");
    if (!link) {
      // Kernel threads have no ns links (ENOENT; EACCES for a user) and pin nothing of users'; only a refusal
      // to look at a process is a gap.
      const int err = link.error().err;
      if (err == ENOENT || is_kernel_thread(state.options.proc_root, pid)) continue;
      state.note_error(err);
      if (err == EACCES || err == EPERM) state.note_denied(pid);
      continue;
    }
    state.tasks.push_back(TaskRef{pid, parse_mnt_ns_link(*link)});
  }
}

void list_namespaces(ScanState& state) {
  Snapshot& snapshot = state.snapshot;
  snapshot.id_kind = IdKind::Old;
  bool listed = state.options.live && list_all_with_syscalls(state);
  attach_tasks(state);
  if (listed || (state.options.live && list_seen_with_syscalls(state))) return;
  for (Namespace& ns : snapshot.namespaces) list_with_mountinfo(state, ns);
}

void describe_namespace_holders(ScanState& state) {
  Snapshot& snapshot = state.snapshot;
  for (Namespace& ns : snapshot.namespaces) {
    if (!ns.tasks.empty()) continue;
    // An nsfs fd's inode is the namespace's inode.
    for (const Pin& pin : snapshot.pins) {
      if (pin.kind != PinKind::Fd || pin.mount != state.nsfs_mount || pin.ino != ns.inode) continue;
      auto comm = read_file(state.options.proc_root + "/" + std::to_string(pin.pid) + "/comm");
      ns.kept_alive_by.push_back("fd " + std::to_string(pin.fd) + " of " + std::to_string(pin.pid) +
                                 (comm ? " (" + chomp(std::move(*comm)) + ")" : ""));
    }
    // A bind mount of /proc/PID/ns/mnt shows as an nsfs mount whose root names the namespace.
    std::string root = "mnt:[" + std::to_string(ns.inode) + "]";
    for (const auto& [key, m] : snapshot.mounts)
      if (m.fstype == "nsfs" && m.root == root) ns.kept_alive_by.push_back("nsfs mount " + m.target);
  }
}

std::set<MountKey> relist_mount_keys(const ScanState& state) {
  std::set<MountKey> keys;
  if (state.snapshot.id_kind != IdKind::Unique) return keys;
  auto handles = walk_mount_namespaces(state.options.proc_root);
  std::vector<std::uint64_t> ns_ids;
  if (handles)
    for (const MountNamespaceHandle& handle : *handles) ns_ids.push_back(handle.id);
  else  // the walk refused: the namespaces of the tasks seen, as list_namespaces listed them
    for (const Namespace& ns : state.snapshot.namespaces) ns_ids.push_back(ns.id);
  for (std::uint64_t id : ns_ids)
    if (auto ids = list_mount_ids(id)) keys.insert(ids->begin(), ids->end());
  return keys;
}

}  // namespace detach::scan

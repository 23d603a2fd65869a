// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/detach_monitor.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "kernel/nsfs.h"

namespace detach {

std::vector<const Pin*> DetachEvent::pins() const {
  std::vector<const Pin*> out;
  out.reserve(keeping.pins.size());
  for (const Pin& pin : keeping.pins) out.push_back(&pin);
  return out;
}

Result<DetachMonitor> DetachMonitor::start(ScanOptions options, std::chrono::milliseconds poll_interval,
                                           Mode mode) {
  // A detach the monitor sees gets its former place from the mounts it saw attached, not from the journal.
  options.journal_dir.clear();
  DetachMonitor monitor(std::move(options), poll_interval);
  if (monitor.options_.live && mode == Mode::Auto) {
    if (auto listener = AttachListener::start()) monitor.listener_ = std::move(*listener);
  }
  monitor.mark_new_namespaces();
  // What is attached as the watch begins, from a quick look (mounts only, no /proc scan): a mount detached
  // while the first full picture is taken (a scan of every process, seconds on a busy machine) was seen
  // attached here, and is reported as a detach, not taken for one made before we started.
  ScanOptions quick = monitor.options_;
  quick.task_pins = false;
  quick.kernel_pins = false;
  if (auto early = take_snapshot(quick)) {
    for (const auto& [key, m] : early->mounts)
      if (m.attached) monitor.attached_.emplace(key, m);
    monitor.learn_namespaces(*early);
    monitor.mark_new_namespaces();
  }
  // The first picture: what is attached now, and what was detached before we started (not reported again).
  std::vector<DetachEvent> first;
  if (auto st = monitor.refresh(first); !st) return tl::unexpected(st.error());
  const std::set<MountKey> detached_while_watched = monitor.detached_since_marked(first);
  for (DetachEvent& event : first) {
    if (event.kind != DetachEvent::Kind::Detached) continue;
    // Never seen attached: detached before we started, unless the listener saw it go (attached and detached
    // while the first picture was taken, too soon to be described): that one is reported, with no mount
    // point.
    if (event.mount.target.empty() && detached_while_watched.count(event.mount.key) == 0)
      monitor.detached_.insert(event.mount.key);
    else
      monitor.pending_.push_back(std::move(event));
  }
  return monitor;
}

std::set<MountKey> DetachMonitor::detached_since_marked(const std::vector<DetachEvent>& first) {
  if (!listener_) return {};
  const bool unplaced = std::any_of(first.begin(), first.end(), [](const DetachEvent& event) {
    return event.kind == DetachEvent::Kind::Detached && event.mount.target.empty();
  });
  // The detach events of the mounts in FIRST were queued before it was taken: wait for the listener to read
  // them (one read of its queue, a poll step at most), but only when a mount's place is in question.
  if (unplaced) listener_->settle(std::chrono::seconds(1));
  return listener_->stop_recording_detached();
}

void DetachMonitor::learn_namespaces(const Snapshot& snapshot) {
  sees_every_namespace_ = snapshot.gaps.namespaces_complete;
  in_child_pid_namespace_ = snapshot.gaps.in_child_pid_namespace;
  task_namespaces_.clear();
  for (const Namespace& ns : snapshot.namespaces)
    if (ns.id != 0 && !ns.tasks.empty()) task_namespaces_.emplace_back(ns.tasks.front(), ns.id);
}

void DetachMonitor::mark_new_namespaces() {
  if (!listener_) return;
  auto handles = walk_mount_namespaces(options_.proc_root);
  if (!handles) {
    // Refused (a user who is not root, a PID namespace of its own): the namespaces of the tasks seen.
    for (const auto& [pid, id] : task_namespaces_) {
      if (watched_namespaces_.count(id)) continue;
      auto handle = open_task_mount_namespace(options_.proc_root, pid);
      // The task may be in another namespace by now: only the one the snapshot listed is marked as it.
      if (handle && handle->id == id && listener_->watch_namespace(handle->fd.get(), id))
        watched_namespaces_.insert(id);
    }
    return;
  }
  for (const MountNamespaceHandle& handle : *handles) {
    if (watched_namespaces_.count(handle.id)) continue;
    if (listener_->watch_namespace(handle.fd.get(), handle.id)) watched_namespaces_.insert(handle.id);
  }
}

// How many snapshots in a row may miss a mount before the monitor forgets where it was.
constexpr int kUnseenSnapshotsKept = 3;

Status DetachMonitor::refresh(std::vector<DetachEvent>& events) {
  ScanOptions options = options_;
  options.describe_detached = [this](const Mount& m) { return detached_.count(m.key) == 0; };
  const auto now = UnresponsiveBackings::Clock::now();
  options.ask_loop_status = [this, now](const LoopDevice& loop) { return unresponsive_.ask(loop, now); };
  options.ask_swap_file = [this, now](const SwapArea& swap) { return unresponsive_.ask(swap, now); };
  auto snapshot = take_snapshot(options);
  if (!snapshot) return tl::unexpected(snapshot.error());
  unresponsive_.learn(*snapshot, now);
  // Mounts described while the snapshot was taken may be detached in it already, or not in it at all yet
  // (it listed the mounts before they came): the next snapshot needs them then.
  std::vector<Mount> fresh = listener_ ? listener_->take_attached() : std::vector<Mount>{};
  for (const Mount& m : fresh) attached_.emplace(m.key, m);
  learn_namespaces(*snapshot);
  std::vector<const Mount*> gone = snapshot->detached_mounts();
  // Unproven by the walk (a namespace we cannot list may have it), but seen attached in one we list and gone
  // from it: a mount leaves its namespace only when unmounted, so, pinned, it is detached.
  for (const Mount* m : snapshot->unverified_mounts())
    if (attached_.count(m->key)) gone.push_back(m);
  std::set<MountKey> now_detached;
  for (const Mount* m : gone) {
    // Known by its device only, with nothing seen holding it: no detach a watcher can tell (a filesystem
    // mounted or unmounted while the snapshot was taken shows so for a moment).
    if (m->kernel_held() && snapshot->pins_keeping(*m).empty() && snapshot->suspects_keeping(*m).empty())
      continue;
    now_detached.insert(m->key);
    if (detached_.count(m->key)) continue;
    DetachEvent event;
    event.mount = *m;
    if (auto before = attached_.find(m->key); before != attached_.end()) {
      // Where it was: a detached mount has lost its mount point and its namespace.
      event.mount.target = before->second.target;
      event.mount.ns_id = before->second.ns_id;
      // And its options then: the kernel no longer shows an overlay's layers, the journal keeps them.
      event.mount.vfs_options = before->second.vfs_options;
      event.mount.fs_options = before->second.fs_options;
      // And what only its mount said: the source of a filesystem without a device (tmpfs, overlay).
      if (event.mount.source.empty()) event.mount.source = before->second.source;
      if (event.mount.fstype.empty()) event.mount.fstype = before->second.fstype;
    }
    for (const Pin* pin : snapshot->pins_at(snapshot->pins_keeping(*m))) {
      event.keeping.pins.push_back(*pin);
      if (const Task* task = snapshot->task(pin->pid)) event.keeping.tasks.emplace(task->pid, *task);
    }
    events.push_back(std::move(event));
  }
  for (MountKey key : detached_) {
    if (now_detached.count(key)) continue;
    DetachEvent event;
    event.kind = DetachEvent::Kind::Released;
    if (auto before = attached_.find(key); before != attached_.end()) event.mount = before->second;
    event.mount.key = key;
    events.push_back(std::move(event));
  }
  detached_ = std::move(now_detached);
  // What the mounts attached now look like, and how the detached ones looked while attached: a release
  // reported later still needs its former mount point. Nothing else: unique ids are never reused, so
  // keeping every mount ever seen would only grow.
  std::map<MountKey, Mount> seen;
  for (const auto& [key, m] : snapshot->mounts)
    if (m.attached) seen.emplace(key, m);
  for (MountKey key : detached_)
    if (auto before = attached_.find(key); before != attached_.end()) seen.insert(*before);
  for (Mount& m : fresh)
    if (!snapshot->mount(m.key)) seen.emplace(m.key, std::move(m));
  // A mount this snapshot did not list at all may be in a namespace it missed: kept a few snapshots more.
  std::map<MountKey, int> unseen;
  for (auto& [key, m] : attached_) {
    if (seen.count(key) || snapshot->mount(key) != nullptr) continue;
    const int misses = unseen_.count(key) ? unseen_[key] + 1 : 1;
    if (misses > kUnseenSnapshotsKept) continue;
    unseen[key] = misses;
    seen.emplace(key, std::move(m));
  }
  unseen_ = std::move(unseen);
  attached_ = std::move(seen);
  return {};
}

// Mounts the listener described at their attach: where a mount was, should it be detached before the next
// snapshot sees it attached.
void DetachMonitor::remember_attached(std::vector<Mount> mounts) {
  for (Mount& m : mounts) attached_.emplace(m.key, std::move(m));
}

Result<std::vector<DetachEvent>> DetachMonitor::next(std::chrono::milliseconds timeout) {
  std::vector<DetachEvent> events = std::exchange(pending_, {});
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (events.empty()) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (timeout.count() >= 0 && left.count() <= 0) break;
    auto step = timeout.count() < 0 ? poll_interval_ : std::min(left, poll_interval_);
    if (listener_) {
      const bool any = listener_->wait(step);
      if (auto failed = listener_->failure()) return tl::unexpected(*failed);
      remember_attached(listener_->take_attached());
      // A detached mount that is still pinned can only go away quietly: look again every interval anyway.
      if (!any && detached_.empty()) continue;
      mark_new_namespaces();
    } else {
      std::this_thread::sleep_for(step);
    }
    if (auto st = refresh(events); !st) return tl::unexpected(st.error());
  }
  return events;
}

}  // namespace detach

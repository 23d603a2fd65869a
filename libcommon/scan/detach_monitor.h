// SPDX-License-Identifier: GPL-2.0-or-later
// Watches for lazy detaches as they happen, and for the moment a detached mount really goes away.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/snapshot.h"
#include "scan/attach_listener.h"
#include "scan/scan.h"
#include "scan/unresponsive.h"

namespace detach {

struct DetachEvent {
  enum class Kind {
    Detached,  // left every namespace but lives on: PINNERS says who holds it
    Released,  // a detached mount is really gone (or was never pinned)
  };
  Kind kind = Kind::Detached;
  Mount mount;  // as it was while attached, when we saw it then (target = former mount point)
  // For Detached: what keeps it alive, as a snapshot of its own (the pins, and the tasks that hold them), so
  // the event outlives the scan it came from and the views group and print it as they print a listing.
  Snapshot keeping;
  std::vector<const Pin*> pins() const;
};

class DetachMonitor {
 public:
  enum class Mode {
    Auto,     // fanotify mount events when the kernel has them (6.15), else polling
    Polling,  // a snapshot every poll interval, whatever the kernel has
  };
  static Result<DetachMonitor> start(ScanOptions options, std::chrono::milliseconds poll_interval,
                                     Mode mode = Mode::Auto);

  bool uses_fanotify() const { return listener_ != nullptr; }
  // False when the walk over every mount namespace was refused (not CAP_SYS_ADMIN): detaches in namespaces
  // this user cannot list go unseen.
  bool sees_every_namespace() const { return sees_every_namespace_; }
  // The walk was refused because this runs in a PID namespace of its own (ScanGaps::in_child_pid_namespace):
  // the namespaces of its processes are watched, those of processes outside it are not.
  bool in_child_pid_namespace() const { return in_child_pid_namespace_; }

  // The loop devices and swap files whose filesystem did not answer lately: not asked at every refresh.
  const UnresponsiveBackings& unresponsive_backings() const { return unresponsive_; }
  // Waits up to TIMEOUT (negative: forever) and returns what changed; empty on timeout.
  Result<std::vector<DetachEvent>> next(std::chrono::milliseconds timeout);

 private:
  DetachMonitor(ScanOptions options, std::chrono::milliseconds poll_interval)
      : options_(std::move(options)), poll_interval_(poll_interval) {}
  Status refresh(std::vector<DetachEvent>& events);
  void mark_new_namespaces();
  void remember_attached(std::vector<Mount> mounts);
  // The mounts of the first picture the listener saw detached since their namespaces were marked.
  std::set<MountKey> detached_since_marked(const std::vector<DetachEvent>& first);

  ScanOptions options_;
  std::chrono::milliseconds poll_interval_;
  std::unique_ptr<AttachListener> listener_;
  std::set<std::uint64_t> watched_namespaces_;
  std::map<MountKey, Mount> attached_;  // last seen attached mounts: where a detached one used to be
  // Mounts of attached_ that the last snapshots did not list, attached or detached (a namespace they missed
  // under load, or an unmount): how many in a row. Kept a few snapshots, so that a detach seen after such a
  // miss still gets its former mount point.
  std::map<MountKey, int> unseen_;
  std::set<MountKey> detached_;       // detached mounts already reported
  std::vector<DetachEvent> pending_;  // found by start(), returned by the first next()
  bool sees_every_namespace_ = true;
  bool in_child_pid_namespace_ = false;
  // The walk refused: the namespaces the last snapshot listed, each by a task in it and its id, for
  // mark_new_namespaces to watch.
  std::vector<std::pair<pid_t, std::uint64_t>> task_namespaces_;
  void learn_namespaces(const Snapshot& snapshot);
  // A loop device backed by a file on a dead server would cost every refresh the bound: asked every 30 s.
  UnresponsiveBackings unresponsive_{std::chrono::seconds(30)};
};

}  // namespace detach

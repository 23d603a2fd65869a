// SPDX-License-Identifier: GPL-2.0-or-later
// fanotify mount events read on a thread of their own, so that each newly attached mount is described at
// once (statmount), while it is still attached. A snapshot of a busy host takes a while; a mount attached and
// lazily detached between two snapshots (a container's, a CSI driver's) would otherwise leave no record of
// where it was, and the journal would miss its former mount point.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "base/result.h"
#include "kernel/fanotify.h"
#include "model/mount.h"

namespace detach {

class AttachListener {
 public:
  // EINVAL from fanotify_init: the kernel predates FAN_REPORT_MNT (6.15).
  static Result<std::unique_ptr<AttachListener>> start();
  AttachListener(const AttachListener&) = delete;
  AttachListener& operator=(const AttachListener&) = delete;
  ~AttachListener();  // stops the thread (within its poll step) and joins it

  // Watches one more mount namespace: its nsfs fd (may be closed afterwards) and its id.
  Status watch_namespace(int ns_fd, std::uint64_t ns_id);

  // Waits up to TIMEOUT for events since the last call: true when any came (or reading them failed: see
  // failure()).
  bool wait(std::chrono::milliseconds timeout);
  // The mounts attached since the last call, as they were when their attach was told.
  std::vector<Mount> take_attached();
  // Waits (up to TIMEOUT) until the thread has read every event queued before this call.
  void settle(std::chrono::milliseconds timeout);
  // The unique ids of the mounts detached since the listener started, and stops recording them: the
  // monitor's first picture needs them to tell a mount detached while it was taken from one detached before
  // the watch began, and nothing later does.
  std::set<std::uint64_t> stop_recording_detached();
  // Why the thread stopped reading events, if it did.
  std::optional<Error> failure();

 private:
  explicit AttachListener(MountEventWatch watch) : watch_(std::move(watch)) {}
  void run();
  void describe(const std::vector<std::uint64_t>& ids);

  MountEventWatch watch_;
  std::mutex mu_;
  std::condition_variable changed_;
  bool pending_ = false;            // an event came since the last wait()
  std::vector<Mount> attached_;     // described since the last take_attached()
  bool recording_detached_ = true;  // until stop_recording_detached()
  std::set<std::uint64_t> detached_;
  // Reads of the queue begun and finished, for settle().
  std::uint64_t reads_begun_ = 0;
  std::uint64_t reads_done_ = 0;
  std::set<std::uint64_t> ns_ids_;  // the namespaces watched, where an attached mount may be
  std::optional<Error> failure_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace detach

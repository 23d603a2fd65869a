// SPDX-License-Identifier: GPL-2.0-or-later
// Ending a process that a snapshot saw, and only that one: through a pidfd, after checking that the pid still
// belongs to it (same start time), so a pid reused since the scan is never signalled.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "kernel/pidfd.h"
#include "model/pin.h"
#include "model/task.h"
#include "scan/scan.h"

namespace detach {

enum class Signalled {
  Sent,      // the signal went to the very process the snapshot saw
  Gone,      // it had exited already
  Replaced,  // its pid now belongs to another process: nothing sent
};

// Sends SIGNO to TASK (its pid and start_time, as the scan read them). TASK.start_time 0 (unknown) is
// refused (EINVAL): without it the pid cannot be told from a later one.
Result<Signalled> signal_task(const Task& task, int signo, const std::string& proc_root = "/proc");

// A process a snapshot found holding PINS, to be signalled later (fuser -k, once per name): kept by a pidfd
// opened now, and only once it is seen holding one of PINS still, so that a process given a pid freed since
// the scan is never signalled. Before Linux 5.3 (no pidfd) it is kept by its pid, checked here.
class HeldProcess {
 public:
  // nullopt when it holds none of PINS now; ESRCH when it has ended. OPTIONS and IDS: the scan's, where PINS
  // come from.
  static Result<std::optional<HeldProcess>> open(pid_t pid, const std::vector<const Pin*>& pins,
                                                 const ScanOptions& options, IdKind ids);
  pid_t pid() const { return handle_.pid(); }
  // ESRCH once it has ended, even when its pid was given to another since.
  Status signal(int signo) const { return handle_.signal(signo); }

 private:
  explicit HeldProcess(ProcessHandle handle) : handle_(std::move(handle)) {}
  ProcessHandle handle_;
};

}  // namespace detach

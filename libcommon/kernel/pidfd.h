// SPDX-License-Identifier: GPL-2.0-or-later
// Processes through pidfds: a pidfd names one process for good, so a signal sent through it can never reach
// a later process that was given the same pid.
#pragma once

#include <sys/types.h>

#include <chrono>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

// pidfd_open(PID): ESRCH when no such process.
Result<UniqueFd> open_pidfd(pid_t pid);

// pidfd_send_signal(): ESRCH once the process has exited (even when its pid was given to another since).
Status signal_pidfd(int pidfd, int signo);

// Waits up to TIMEOUT (0: just looks) for the process to exit: true when it has.
Result<bool> pidfd_exited(int pidfd, std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

// One process to signal, kept by its pidfd (see above). Before Linux 5.3 (no pidfd_open: ENOSYS) it falls
// back to the bare pid, and signal() to kill(2): the caller should then check right before.
class ProcessHandle {
 public:
  // ESRCH: no such process (it ended).
  static Result<ProcessHandle> open(pid_t pid);

  pid_t pid() const { return pid_; }
  // Whether the handle pins the process (a pidfd), rather than its pid only.
  bool pinned() const { return fd_.valid(); }
  // ESRCH once the process has ended, even when its pid was given to another.
  Status signal(int signo) const;

 private:
  ProcessHandle(pid_t pid, UniqueFd fd) : pid_(pid), fd_(std::move(fd)) {}
  pid_t pid_;
  UniqueFd fd_;
};

}  // namespace detach

// Signals through a pidfd: once opened, the handle names that one process, so a signal sent through it can
// never reach a later process that got the same pid.
#pragma once

#include <sys/types.h>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

class ProcessHandle {
 public:
  // pidfd_open(PID) (Linux 5.3). ESRCH: no such process (it ended). Before 5.3 (ENOSYS) the handle falls
  // back to the bare pid, and signal() to kill(2): the caller should then check right before.
  static Result<ProcessHandle> open(pid_t pid);

  pid_t pid() const { return pid_; }
  // Whether the handle pins the process (a pidfd), rather than its pid only.
  bool pinned() const { return fd_.valid(); }
  // pidfd_send_signal; ESRCH once the process has ended, even when its pid was given to another.
  Status signal(int signo) const;

 private:
  ProcessHandle(pid_t pid, UniqueFd fd) : pid_(pid), fd_(std::move(fd)) {}
  pid_t pid_;
  UniqueFd fd_;
};

}  // namespace detach

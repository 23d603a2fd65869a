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

}  // namespace detach

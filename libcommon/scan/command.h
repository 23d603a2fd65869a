// SPDX-License-Identifier: GPL-2.0-or-later
// Running a command in a child whose exec waits for a go: between fork and exec the caller can let go of
// what the command must find free (mkfs-guard's O_EXCL claims on the devices), so that the child's copies of
// them, closed on exec, are the last.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

class PendingCommand {
 public:
  // Forks a child that waits for start(), then execvp(ARGV[0], ARGV) with the signal mask and dispositions
  // of the caller at this call. From here on SIGINT and SIGQUIT (the terminal sends them to the child too)
  // and SIGTERM and SIGHUP (passed on to the child) are blocked in the caller, until wait() is done.
  static Result<PendingCommand> fork(const std::vector<std::string>& argv);
  PendingCommand(PendingCommand&& other) noexcept;
  PendingCommand& operator=(PendingCommand&&) = delete;
  PendingCommand(const PendingCommand&) = delete;
  PendingCommand& operator=(const PendingCommand&) = delete;
  // A child never started is killed and reaped; the caller's signal mask is restored.
  ~PendingCommand();

  pid_t pid() const { return pid_; }

  // Lets the child exec and returns once it has (the exec's errno when it failed: ENOENT, EACCES ...).
  Status start();

  // Until the command ends: its exit status, or 128 + the signal that ended it, as a shell reports it.
  Result<int> wait();

 private:
  PendingCommand() = default;
  pid_t pid_ = -1;
  UniqueFd pidfd_;
  UniqueFd go_;      // write end: one byte lets the child exec
  UniqueFd status_;  // read end: EOF on a successful exec, else the exec's errno
  sigset_t saved_mask_{};
  bool mask_saved_ = false;
  bool started_ = false;
  bool reaped_ = false;
};

}  // namespace detach

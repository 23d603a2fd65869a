// SPDX-License-Identifier: GPL-2.0-or-later
// Ending a process that a snapshot saw, and only that one: through a pidfd, after checking that the pid still
// belongs to it (same start time), so a pid reused since the scan is never signalled.
#pragma once

#include <string>

#include "base/result.h"
#include "model/task.h"

namespace detach {

enum class Signalled {
  Sent,      // the signal went to the very process the snapshot saw
  Gone,      // it had exited already
  Replaced,  // its pid now belongs to another process: nothing sent
};

// Sends SIGNO to TASK (its pid and start_time, as the scan read them). TASK.start_time 0 (unknown) is
// refused (EINVAL): without it the pid cannot be told from a later one.
Result<Signalled> signal_task(const Task& task, int signo, const std::string& proc_root = "/proc");

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/end_process.h"

#include <cerrno>

#include "kernel/procfs.h"
#include "scan/recheck.h"

namespace detach {

Result<Signalled> signal_task(const Task& task, int signo, const std::string& proc_root) {
  if (task.start_time == 0) return fail(EINVAL, "signal", std::to_string(task.pid), "start time unknown");
  Result<UniqueFd> pidfd = open_pidfd(task.pid);
  if (!pidfd) {
    if (pidfd.error().err == ESRCH) return Signalled::Gone;
    return tl::unexpected<Error>(pidfd.error());
  }
  // The pidfd names whoever has the pid now: its start time says whether that is still the task we saw.
  // Read after the pidfd was opened, and with the process still alive after the read, the start time is the
  // pidfd's process's (a pid is not given again before its process is gone and reaped).
  Result<std::string> stat = read_file(proc_root + "/" + std::to_string(task.pid) + "/stat");
  if (!stat)
    return stat.error().err == ENOENT ? Result<Signalled>(Signalled::Gone)
                                      : tl::unexpected<Error>(stat.error());
  std::optional<std::uint64_t> start = parse_stat_start_time(*stat);
  Result<bool> exited = pidfd_exited(pidfd->get());
  if (exited && *exited) return Signalled::Gone;
  if (!start || *start != task.start_time) return Signalled::Replaced;
  Status sent = signal_pidfd(pidfd->get(), signo);
  if (!sent) {
    if (sent.error().err == ESRCH) return Signalled::Gone;
    return tl::unexpected<Error>(sent.error());
  }
  return Signalled::Sent;
}

Result<std::optional<HeldProcess>> HeldProcess::open(pid_t pid, const std::vector<const Pin*>& pins,
                                                     const ScanOptions& options, IdKind ids) {
  Result<ProcessHandle> handle = ProcessHandle::open(pid);
  if (!handle) return tl::unexpected<Error>(handle.error());
  // The pidfd names the process that has the pid now: it must be the one that was found holding PINS.
  for (const Pin* pin : pins)
    if (still_holds(options, ids, *pin)) return HeldProcess(std::move(*handle));
  return std::nullopt;
}

}  // namespace detach

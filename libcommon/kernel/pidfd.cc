// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/pidfd.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace detach {

Result<UniqueFd> open_pidfd(pid_t pid) {
  // Through syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C", so C++ cannot link its wrappers.
  UniqueFd fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!fd) return fail_errno("pidfd_open", std::to_string(pid));
  return fd;
}

Status signal_pidfd(int pidfd, int signo) {
  if (::syscall(SYS_pidfd_send_signal, pidfd, signo, nullptr, 0) != 0) return fail_errno("pidfd_send_signal");
  return {};
}

Result<bool> pidfd_exited(int pidfd, std::chrono::milliseconds timeout) {
  pollfd pfd{pidfd, POLLIN, 0};
  while (true) {
    int ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return fail_errno("poll", "pidfd");
    return ready > 0;
  }
}

Result<ProcessHandle> ProcessHandle::open(pid_t pid) {
  if (pid <= 0) return fail(EINVAL, "pidfd_open", std::to_string(pid));
  Result<UniqueFd> fd = open_pidfd(pid);
  if (fd) return ProcessHandle(pid, std::move(*fd));
  if (fd.error().err != ENOSYS) return tl::unexpected(fd.error());
  return ProcessHandle(pid, UniqueFd());
}

Status ProcessHandle::signal(int signo) const {
  if (fd_) return signal_pidfd(fd_.get(), signo);
  if (::kill(pid_, signo) != 0) return fail_errno("kill", std::to_string(pid_));
  return {};
}

}  // namespace detach

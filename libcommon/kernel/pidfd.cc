#include "kernel/pidfd.h"

#include <poll.h>
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

}  // namespace detach

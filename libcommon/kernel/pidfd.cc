#include "kernel/pidfd.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace detach {

Result<ProcessHandle> ProcessHandle::open(pid_t pid) {
  if (pid <= 0) return fail(EINVAL, "pidfd_open", std::to_string(pid));
  long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) return ProcessHandle(pid, UniqueFd(static_cast<int>(fd)));
  if (errno != ENOSYS) return fail_errno("pidfd_open", std::to_string(pid));
  return ProcessHandle(pid, UniqueFd());
}

Status ProcessHandle::signal(int signo) const {
  long rc = fd_ ? ::syscall(SYS_pidfd_send_signal, fd_.get(), signo, nullptr, 0) : ::kill(pid_, signo);
  if (rc != 0) return fail_errno(fd_ ? "pidfd_send_signal" : "kill", std::to_string(pid_));
  return {};
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// timed_run TIMEOUT_S COMMAND [ARG...]: runs COMMAND with stdin, stdout and stderr on /dev/null and prints
// "SECONDS MAX_RSS_KIB TIMED_OUT" (wall time, wait4's ru_maxrss of the command, 0 or 1). bench/run times
// every command through it. It is linked statically and forks, never vforks, so the command's max RSS starts
// from this process's ~100 KiB, not from the parent's: the kernel keeps a process's high-water RSS across
// exec, so a command forked by python3 (17 MiB) would report at least 17 MiB. A run past TIMEOUT_S is killed.
// Exit: 0 measured (whatever the command's status), 2 usage, 3 it could not run the command.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace {

double now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Waits for the child's exit through a pidfd (so a kill after a timeout cannot hit a reused pid).
bool exited_within(int pidfd, double timeout_s) {
  pollfd p{pidfd, POLLIN, 0};
  for (;;) {
    int rc = poll(&p, 1, static_cast<int>(timeout_s * 1000));
    if (rc >= 0) return rc > 0;
    if (errno != EINTR) return true;  // cannot wait: let wait4 block
  }
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: timed_run TIMEOUT_S COMMAND [ARG...]\n");
    return 2;
  }
  const double timeout_s = std::strtod(argv[1], nullptr);
  const int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0) return 3;
  const double start = now();
  const pid_t pid = fork();
  if (pid < 0) return 3;
  if (pid == 0) {
    for (int fd = 0; fd < 3; ++fd) dup2(devnull, fd);
    execvp(argv[2], argv + 2);
    _exit(127);
  }
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  bool timed_out = pidfd >= 0 && !exited_within(pidfd, timeout_s);
  if (timed_out) syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return 3;
  const double seconds = now() - start;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return 3;
  std::printf("%.6f %ld %d\n", seconds, usage.ru_maxrss, timed_out ? 1 : 0);
  return 0;
}

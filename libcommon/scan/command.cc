// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/command.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "kernel/pidfd.h"

namespace detach {
namespace {

sigset_t waited_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int signo : {SIGINT, SIGQUIT, SIGTERM, SIGHUP}) sigaddset(&set, signo);
  return set;
}

// In the child, after fork: wait for the go, restore the mask, exec; on failure report errno and _exit.
[[noreturn]] void child(int go_fd, int status_fd, const std::vector<char*>& args, const sigset_t& mask) {
  char byte = 0;
  ssize_t n;
  do {
    n = ::read(go_fd, &byte, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) ::_exit(127);  // the caller went away without a go: run nothing
  ::sigprocmask(SIG_SETMASK, &mask, nullptr);
  ::execvp(args[0], args.data());
  int err = errno;
  (void)!::write(status_fd, &err, sizeof err);
  ::_exit(127);
}

}  // namespace

Result<PendingCommand> PendingCommand::fork(const std::vector<std::string>& argv) {
  if (argv.empty()) return fail(EINVAL, "execute", {}, "empty command");
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  int go[2], status[2];
  if (::pipe2(go, O_CLOEXEC) != 0) return fail_errno("pipe2");
  UniqueFd go_read(go[0]), go_write(go[1]);
  if (::pipe2(status, O_CLOEXEC) != 0) return fail_errno("pipe2");
  UniqueFd status_read(status[0]), status_write(status[1]);

  PendingCommand cmd;
  sigset_t blocked = waited_signals();
  if (::sigprocmask(SIG_BLOCK, &blocked, &cmd.saved_mask_) != 0) return fail_errno("sigprocmask");
  cmd.mask_saved_ = true;
  pid_t pid = ::fork();
  if (pid < 0) return fail_errno("fork");
  if (pid == 0) child(go_read.get(), status_write.get(), args, cmd.saved_mask_);
  cmd.pid_ = pid;
  Result<UniqueFd> pidfd = open_pidfd(pid);
  if (pidfd) cmd.pidfd_ = std::move(*pidfd);
  cmd.go_ = std::move(go_write);
  cmd.status_ = std::move(status_read);
  return cmd;  // go_read and status_write close here: the child holds its own copies
}

PendingCommand::PendingCommand(PendingCommand&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      go_(std::move(other.go_)),
      status_(std::move(other.status_)),
      saved_mask_(other.saved_mask_),
      mask_saved_(std::exchange(other.mask_saved_, false)),
      started_(other.started_),
      reaped_(other.reaped_) {}

PendingCommand::~PendingCommand() {
  if (pid_ > 0 && !reaped_) {
    if (!started_) ::kill(pid_, SIGKILL);  // it waits for the go: nothing of it has run
    if (!started_) ::waitpid(pid_, nullptr, 0);
  }
  if (mask_saved_) ::sigprocmask(SIG_SETMASK, &saved_mask_, nullptr);
}

Status PendingCommand::start() {
  char byte = 1;
  started_ = true;
  if (::write(go_.get(), &byte, 1) != 1) return fail_errno("write", "start pipe");
  go_.reset();
  int err = 0;
  ssize_t n;
  do {
    n = ::read(status_.get(), &err, sizeof err);
  } while (n < 0 && errno == EINTR);
  if (n == sizeof err) {
    ::waitpid(pid_, nullptr, 0);
    reaped_ = true;
    return fail(err, "execute");
  }
  return {};
}

Result<int> PendingCommand::wait() {
  sigset_t waited = waited_signals();
  UniqueFd signals(::signalfd(-1, &waited, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!signals) return fail_errno("signalfd");
  while (!reaped_) {
    pollfd fds[2] = {{pidfd_.get(), POLLIN, 0}, {signals.get(), POLLIN, 0}};
    if (::poll(fds, pidfd_ ? 2 : 1, -1) < 0 && errno != EINTR) return fail_errno("poll");
    signalfd_siginfo info{};
    while (::read(signals.get(), &info, sizeof info) == sizeof info) {
      // The terminal sent SIGINT and SIGQUIT to the child as well; a SIGTERM or SIGHUP for us is for it.
      if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGHUP)
        ::kill(pid_, static_cast<int>(info.ssi_signo));
    }
    int status = 0;
    pid_t got = ::waitpid(pid_, &status, pidfd_ ? WNOHANG : 0);
    if (got < 0 && errno != EINTR) return fail_errno("waitpid");
    if (got != pid_) continue;
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  return fail(ECHILD, "wait");
}

}  // namespace detach

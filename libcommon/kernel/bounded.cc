// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/bounded.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <exception>

#include "base/unique_fd.h"
#include "kernel/procfs.h"

namespace detach {
namespace {

using Clock = std::chrono::steady_clock;

// Owns a forked child: whatever happens to the caller, the child is killed and, if it can be, reaped.
// A child stuck in an uninterruptible wait cannot be reaped at once; it stays a zombie until it wakes, which
// is better than hanging the caller.
class ChildProcess {
 public:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    // A killed child dies within microseconds unless it sleeps in the kernel; a short grace avoids a zombie
    // in the common case without ever blocking on the uncommon one.
    reap_until(Clock::now() + std::chrono::milliseconds(100));
  }

  // Waits for a normal exit until DEADLINE; false when the child is still running.
  bool reap_until(Clock::time_point deadline) {
    while (true) {
      pid_t got = ::waitpid(pid_, nullptr, WNOHANG);
      if (got == pid_ || (got < 0 && errno != EINTR)) {
        pid_ = -1;
        return true;
      }
      if (Clock::now() >= deadline) return false;
      ::usleep(1000);
    }
  }

 private:
  pid_t pid_;
};

// Wire format, child to parent: 'O' + payload, or 'E' + errno (4 bytes) + op \0 path \0 detail.
std::string encode(const Result<std::string>& result) {
  if (result) return "O" + *result;
  const Error& e = result.error();
  std::int32_t err = e.err;
  std::string out = "E" + std::string(reinterpret_cast<const char*>(&err), sizeof err);
  return out + e.op + '\0' + e.path + '\0' + e.detail;
}

Result<std::string> decode(const std::string& wire) {
  if (wire.empty()) return fail(EPROTO, "bounded call", {}, "child exited without a result");
  if (wire[0] == 'O') return wire.substr(1);
  std::int32_t err = 0;
  if (wire.size() < 1 + sizeof err) return fail(EPROTO, "bounded call", {}, "garbled result from child");
  std::memcpy(&err, wire.data() + 1, sizeof err);
  std::string rest = wire.substr(1 + sizeof err);
  std::size_t a = rest.find('\0');
  std::size_t b = a == std::string::npos ? a : rest.find('\0', a + 1);
  if (b == std::string::npos) return fail(EPROTO, "bounded call", {}, "garbled result from child");
  return fail(err, rest.substr(0, a), rest.substr(a + 1, b - a - 1), rest.substr(b + 1));
}

[[noreturn]] void run_child(const std::function<Result<std::string>()>& work, int out_fd) {
  std::string wire;
  try {
    wire = encode(work());
  } catch (const std::exception& ex) {
    wire = encode(fail(0, "bounded call", {}, ex.what()));
  } catch (...) {
    wire = encode(fail(0, "bounded call", {}, "unknown exception"));
  }
  const char* p = wire.data();
  std::size_t left = wire.size();
  while (left > 0) {
    ssize_t n = ::write(out_fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  // _exit: the child must not run the parent's atexit handlers or flush its stdio buffers a second time.
  ::_exit(0);
}

// A forked child has one thread: the one that called fork. If another thread of ours held a lock at that
// moment (gcc 12's ASan runtime does not take its allocator's locks across fork; LLVM 17's does), the child
// waits for it forever, since the thread that would release it does not exist there. Such a child sleeps in
// futex(2), or yields in a spin lock; a call into a filesystem does neither, and no lock of a single-threaded
// process is ever contended. False when /proc cannot tell (no access, or the child already gone).
bool waits_on_inherited_lock(pid_t pid) {
  auto text = read_file("/proc/" + std::to_string(pid) + "/syscall");
  if (!text) return false;
  // "NR arg1 ... sp pc" while in a system call, "running" or "-1 sp pc" otherwise.
  char* end = nullptr;
  long nr = std::strtol(text->c_str(), &end, 10);
  if (end == text->c_str()) return false;
  return nr == SYS_futex || nr == SYS_sched_yield;
}

// How a child's answer came out: a result (possibly ETIMEDOUT at the deadline), or a child to give up on and
// start again (it waits on a lock it inherited).
struct Answer {
  Result<std::string> wire;
  bool start_again = false;
};

// Reads the child PID's whole answer from FD until EOF; fails with ETIMEDOUT at DEADLINE. While it waits, it
// looks every few milliseconds whether the child waits on an inherited lock.
Answer read_answer(int fd, pid_t pid, Clock::time_point deadline) {
  constexpr std::chrono::milliseconds kLookEvery(20);
  std::string out;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return {fail(ETIMEDOUT, "bounded call")};
    pollfd pfd{fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(std::min(left, kLookEvery).count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return {fail_errno("poll")};
    if (ready == 0) {
      if (waits_on_inherited_lock(pid)) return {fail(EDEADLK, "bounded call"), true};
      continue;
    }
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {fail_errno("read")};
    if (n == 0) return {out};
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// One child running WORK, answering by DEADLINE.
Answer run_child_once(const std::function<Result<std::string>()>& work, Clock::time_point deadline) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {fail_errno("pipe2")};
  UniqueFd read_end(fds[0]), write_end(fds[1]);

  pid_t pid = ::fork();
  if (pid < 0) return {fail_errno("fork")};
  if (pid == 0) {
    read_end.release();  // no close() needed: the child only writes and then _exits
    run_child(work, write_end.get());
  }
  ChildProcess child(pid);
  write_end.reset();  // so that read() sees EOF when the child exits

  Answer answer = read_answer(read_end.get(), pid, deadline);
  if (!answer.wire) return answer;
  // The answer is in; give the exit a short grace (closing the child's files may still call into the fs).
  child.reap_until(std::max(deadline, Clock::now() + std::chrono::milliseconds(50)));
  return answer;
}

}  // namespace

Result<std::string> run_bounded(const std::function<Result<std::string>()>& work,
                                std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (true) {
    Answer answer = run_child_once(work, deadline);
    // The lock was held only at the moment of that fork: a new child is a new chance, within the same bound.
    if (answer.start_again) continue;
    if (!answer.wire) return answer.wire;
    return decode(*answer.wire);
  }
}

}  // namespace detach

namespace detach {

Result<std::string> run_bounded_as_real_user(const std::function<Result<std::string>()>& work,
                                             std::chrono::milliseconds limit) {
  return run_bounded(
      [&work]() -> Result<std::string> {
        if (::setgid(::getgid()) != 0) return fail_errno("setgid");
        if (::setuid(::getuid()) != 0) return fail_errno("setuid");
        return work();
      },
      limit);
}

}  // namespace detach

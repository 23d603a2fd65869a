// SPDX-License-Identifier: GPL-2.0-or-later
// without_bpf [--refuse-loads | --refuse-load N[,N...] | --kill] PROG ARGS...: runs PROG under a seccomp
// filter on bpf(2), so that the tests see what the scan does where BPF cannot be used, on a kernel where it
// can:
//   (default)       every bpf(2) fails with EPERM, as under a policy that forbids it
//   --refuse-loads  only BPF_PROG_LOAD fails, with EACCES, as when the verifier refuses a program (the light
//                   skeleton's loader program and libbpf's programs alike)
//   --refuse-load N the Nth BPF_PROG_LOAD of PROG and its children (counted from 1, in the order the kernel
//                   sees them) fails with EACCES, the others pass: one family of programs refused while the
//                   others load. With DETACH_BPF_LOADER=light a family is one BPF_PROG_LOAD (its loader
//                   program), and the scan loads task_pins first, then ring_files, then unix_inflight, each
//                   only when it needs it. The filter hands each BPF_PROG_LOAD to this program (a seccomp
//                   user notification), which stays PROG's parent to count them.
//   --kill          any bpf(2) kills the process: a run that ends well never called it
// In every mode the census's read-only queries of BPF links (BPF_LINK_GET_NEXT_ID, BPF_LINK_GET_FD_BY_ID,
// BPF_OBJ_GET_INFO_BY_FD: which uprobe links hold a file) pass: they load nothing and are no part of the BPF
// source of task pins, which is what these modes take away.
// Raw classic BPF, as tests/findmnt/without_fanotify_mount_events.cc; the filter is inherited across execve.
// Exit status as env(1): 125 if the filter cannot be installed, 126 if PROG cannot be run, 127 if not found.
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <set>
#include <sstream>
#include <string>

#ifndef __x86_64__
#error "the filter checks for AUDIT_ARCH_X86_64 and x86_64 syscall numbers"
#endif

namespace {

enum class Mode { FailAll, RefuseLoads, RefuseSomeLoads, Kill };

unsigned on_bpf_action(Mode mode) {
  switch (mode) {
    case Mode::Kill:
      return SECCOMP_RET_KILL_PROCESS;
    case Mode::FailAll:
      return SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA);
    case Mode::RefuseLoads:
      return SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA);
    case Mode::RefuseSomeLoads:
      break;
  }
  return SECCOMP_RET_USER_NOTIF;
}

// The filter; with --refuse-load, the fd its notifications come from, else 0. -1 on failure.
int install_filter(Mode mode) {
  const unsigned on_bpf = on_bpf_action(mode);
  // bpf(int cmd, ...): the low 32 bits of the first argument, first on little-endian x86_64.
  constexpr unsigned kCmdLow = offsetof(seccomp_data, args[0]);
  // With --refuse-loads and --refuse-load a command other than BPF_PROG_LOAD goes on to "allow"; otherwise it
  // is caught too.
  const unsigned char others = mode == Mode::RefuseLoads || mode == Mode::RefuseSomeLoads ? 0 : 1;
  sock_filter filter[] = {
      /* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      /* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      /* 2 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      /* 3 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      /* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 5),  // another syscall: allow (10)
      /* 5 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kCmdLow),
      /* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_LINK_GET_NEXT_ID, 3, 0),  // the census: allow (10)
      /* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_LINK_GET_FD_BY_ID, 2, 0),
      /* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_OBJ_GET_INFO_BY_FD, 1, 0),
      /* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_PROG_LOAD, 1, others),
      /* 10 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      /* 11 */ BPF_STMT(BPF_RET | BPF_K, on_bpf),
  };
  sock_fprog prog{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  const unsigned flags = mode == Mode::RefuseSomeLoads ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
  return static_cast<int>(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog));
}

// "2,3": the numbers of the loads to refuse.
std::set<unsigned> parse_numbers(const std::string& text) {
  std::set<unsigned> out;
  std::istringstream in(text);
  for (std::string n; std::getline(in, n, ',');)
    if (!n.empty()) out.insert(static_cast<unsigned>(std::stoul(n)));
  return out;
}

// Answers CHILD's BPF_PROG_LOAD calls from LISTENER until it ends: the REFUSED ones with EACCES, the others
// go on to the kernel. Its exit status as a shell gives it (128 + a signal's number).
int supervise(int listener, pid_t child, const std::set<unsigned>& refused) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, child, 0));
  if (pidfd < 0) return 125;
  unsigned loads = 0;
  for (;;) {
    pollfd fds[2] = {{listener, POLLIN, 0}, {pidfd, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return 125;
    }
    if (fds[0].revents & POLLIN) {
      seccomp_notif request{};
      if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) == 0) {
        seccomp_notif_resp response{};
        response.id = request.id;
        if (refused.count(++loads))
          response.error = -EACCES;
        else
          response.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response);  // ENOENT: the caller is gone
      }
    }
    if (fds[1].revents & POLLIN) break;
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child) return 125;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int main(int argc, char** argv) {
  Mode mode = Mode::FailAll;
  int first = 1;
  std::set<unsigned> refused;
  if (argc > 2 && std::string(argv[1]) == "--refuse-load") {
    mode = Mode::RefuseSomeLoads;
    refused = parse_numbers(argv[2]);
    first = 3;
  } else if (argc > 1 && std::string(argv[1]) == "--refuse-loads") {
    mode = Mode::RefuseLoads;
    first = 2;
  } else if (argc > 1 && std::string(argv[1]) == "--kill") {
    mode = Mode::Kill;
    first = 2;
  }
  if (first >= argc) {
    std::fprintf(stderr,
                 "usage: without_bpf [--refuse-loads | --refuse-load N[,N...] | --kill] PROG [ARGS...]\n");
    return 125;
  }
  const int listener = install_filter(mode);
  if (listener < 0) {
    std::fprintf(stderr, "without_bpf: cannot install the seccomp filter: %s\n", std::strerror(errno));
    return 125;
  }
  if (mode == Mode::RefuseSomeLoads) {
    // This process keeps the filter too, and never calls bpf(2): it only counts.
    const pid_t child = fork();
    if (child < 0) return 125;
    if (child > 0) return supervise(listener, child, refused);
    close(listener);
  }
  execvp(argv[first], argv + first);
  int err = errno;
  std::fprintf(stderr, "without_bpf: %s: %s\n", argv[first], std::strerror(err));
  return err == ENOENT ? 127 : 126;
}

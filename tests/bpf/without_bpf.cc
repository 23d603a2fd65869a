// SPDX-License-Identifier: GPL-2.0-or-later
// without_bpf [--refuse-loads | --kill] PROG ARGS...: runs PROG under a seccomp filter on bpf(2), so that the
// tests see what the scan does where BPF cannot be used, on a kernel where it can:
//   (default)       every bpf(2) fails with EPERM, as under a policy that forbids it
//   --refuse-loads  only BPF_PROG_LOAD fails, with EACCES, as when the verifier refuses a program (the light
//                   skeleton's loader program and libbpf's programs alike)
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
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>

#ifndef __x86_64__
#error "the filter checks for AUDIT_ARCH_X86_64 and x86_64 syscall numbers"
#endif

namespace {

enum class Mode { FailAll, RefuseLoads, Kill };

int install_filter(Mode mode) {
  const unsigned on_bpf = mode == Mode::Kill      ? SECCOMP_RET_KILL_PROCESS
                          : mode == Mode::FailAll ? SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)
                                                  : SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA);
  // bpf(int cmd, ...): the low 32 bits of the first argument, first on little-endian x86_64.
  constexpr unsigned kCmdLow = offsetof(seccomp_data, args[0]);
  // With --refuse-loads a command other than BPF_PROG_LOAD goes on to "allow"; otherwise it is caught too.
  const unsigned char others = mode == Mode::RefuseLoads ? 0 : 1;
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
  return static_cast<int>(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog));
}

}  // namespace

int main(int argc, char** argv) {
  Mode mode = Mode::FailAll;
  int first = 1;
  if (argc > 1 && std::string(argv[1]) == "--refuse-loads") {
    mode = Mode::RefuseLoads;
    first = 2;
  } else if (argc > 1 && std::string(argv[1]) == "--kill") {
    mode = Mode::Kill;
    first = 2;
  }
  if (first >= argc) {
    std::fprintf(stderr, "usage: without_bpf [--refuse-loads | --kill] PROG [ARGS...]\n");
    return 125;
  }
  if (install_filter(mode) != 0) {
    std::fprintf(stderr, "without_bpf: cannot install the seccomp filter: %s\n", std::strerror(errno));
    return 125;
  }
  execvp(argv[first], argv + first);
  int err = errno;
  std::fprintf(stderr, "without_bpf: %s: %s\n", argv[first], std::strerror(err));
  return err == ENOENT ? 127 : 126;
}

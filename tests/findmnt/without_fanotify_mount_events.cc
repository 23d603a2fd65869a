// SPDX-License-Identifier: GPL-2.0-or-later
// without_fanotify_mount_events PROG ARGS...: runs PROG as if on a kernel older than 6.15, which has no
// fanotify mount events, so that the tests can exercise findmnt --detached --poll's polling fallback on a
// newer kernel.
//
// What an old kernel does: fanotify_init() rejects flags it does not know with EINVAL (FAN_REPORT_MNT is
// 0x4000, unknown before 6.15; root passes the capability check first, so the error is EINVAL, not EPERM).
// DetachMonitor treats any fanotify_init failure as "no mount events" and falls back to polling.
// Failing fanotify_mark(FAN_MARK_MNTNS) instead would not be the same: the group would exist, and findmnt
// would wait on it without ever hearing of a detach. So a seccomp filter fails with EINVAL exactly the
// fanotify_init calls whose flags include FAN_REPORT_MNT, and leaves everything else alone.
//
// Raw classic BPF rather than libseccomp, to need no extra dependency. The filter is inherited across execve;
// PR_SET_NO_NEW_PRIVS first, as seccomp requires of a caller without CAP_SYS_ADMIN.
// Exit status as env(1): 125 if the filter cannot be installed, 126 if PROG cannot be run, 127 if not found.
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "kernel/uapi.h"

#ifndef __x86_64__
#error "the filter checks for AUDIT_ARCH_X86_64 and x86_64 syscall numbers"
#endif

namespace {

int install_filter() {
  // fanotify_init(unsigned int flags, ...): the kernel reads only the low 32 bits of the 64-bit argument,
  // which on little-endian x86_64 come first.
  constexpr unsigned kFlagsLow = offsetof(seccomp_data, args[0]);
  sock_filter filter[] = {
      // Another ABI (i386 via int 0x80) would have other syscall numbers: kill rather than misjudge.
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_fanotify_init, 0, 2),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kFlagsLow),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, detach::uapi::kFanReportMnt, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EINVAL & SECCOMP_RET_DATA)),
  };
  sock_fprog prog{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  return static_cast<int>(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: without_fanotify_mount_events PROG [ARGS...]\n");
    return 125;
  }
  if (install_filter() != 0) {
    std::fprintf(stderr, "without_fanotify_mount_events: cannot install the seccomp filter: %s\n",
                 std::strerror(errno));
    return 125;
  }
  execvp(argv[1], argv + 1);
  int err = errno;
  std::fprintf(stderr, "without_fanotify_mount_events: %s: %s\n", argv[1], std::strerror(err));
  return err == ENOENT ? 127 : 126;
}

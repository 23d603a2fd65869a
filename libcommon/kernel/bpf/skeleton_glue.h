// SPDX-License-Identifier: GPL-2.0-or-later
// C glue between bpftool's skeletons (C only) and kernel/bpf_iterators.cc: each family of programs,
// FAMILY.bpf.c, becomes two skeletons, and bpf_families.c (generated from bpf_families.c.in, one
// DETACH_BPF_FAMILY line per family) loads either and hands back its programs' fds, in the object's order.
// The fds are duplicates: the skeleton is gone once a load returns, and the programs live as long as the
// caller keeps the fds (nothing is pinned in bpffs, nothing outlives the process).
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DETACH_BPF_MAX_PROGRAMS 16

struct detach_bpf_loaded {
  int prog_fds[DETACH_BPF_MAX_PROGRAMS];
  int count;
};

struct detach_bpf_family {
  const char* name;
  // The light skeleton: a loader program applies the CO-RE relocations in the kernel (Linux 5.17+); nothing
  // here parses the kernel's BTF, and libbpf is not needed. 0, or -errno.
  int (*load_light)(struct detach_bpf_loaded* out);
  // libbpf's skeleton, for kernels without the light loader: libbpf (opened now, with dlopen) reads and
  // parses the kernel's BTF here, tens of milliseconds, then loads each program. 0, or -errno, and
  // detach_bpf_libbpf_warning() then says why in libbpf's words.
  int (*load_libbpf)(struct detach_bpf_loaded* out);
};

extern const struct detach_bpf_family detach_bpf_families[];
extern const size_t detach_bpf_family_count;

// The first warning libbpf printed in this thread's last load_libbpf; "" when none (or libbpf did not open:
// then it says that).
const char* detach_bpf_libbpf_warning(void);

#ifdef __cplusplus
}
#endif

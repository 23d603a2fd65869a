// SPDX-License-Identifier: GPL-2.0-or-later
// libbpf, opened only when a family is loaded through libbpf's skeleton (kernels without the light loader),
// as systemd does (src/shared/bpf-dlopen.c): a tool that never needs it neither maps nor relocates libbpf,
// libelf and libz when it starts. Included by bpf_families.c before the skeletons, whose calls into libbpf
// the macros below send through the pointers dlsym() filled. For bpf_families.c only.
#pragma once

#include <bpf/libbpf.h>

struct detach_libbpf {
  __typeof__(bpf_object__open_skeleton)* open_skeleton;
  __typeof__(bpf_object__load_skeleton)* load_skeleton;
  __typeof__(bpf_object__attach_skeleton)* attach_skeleton;
  __typeof__(bpf_object__detach_skeleton)* detach_skeleton;
  __typeof__(bpf_object__destroy_skeleton)* destroy_skeleton;
  __typeof__(bpf_object__next_program)* next_program;
  __typeof__(bpf_program__fd)* program_fd;
  __typeof__(libbpf_set_print)* set_print;
};

// The functions, once libbpf is open; 0 when it is, else -errno (ENOENT: not installed).
int detach_open_libbpf(struct detach_libbpf* lib);

#define bpf_object__open_skeleton(...) detach_libbpf_fns.open_skeleton(__VA_ARGS__)
#define bpf_object__load_skeleton(...) detach_libbpf_fns.load_skeleton(__VA_ARGS__)
#define bpf_object__attach_skeleton(...) detach_libbpf_fns.attach_skeleton(__VA_ARGS__)
#define bpf_object__detach_skeleton(...) detach_libbpf_fns.detach_skeleton(__VA_ARGS__)
#define bpf_object__destroy_skeleton(...) detach_libbpf_fns.destroy_skeleton(__VA_ARGS__)
#define bpf_object__next_program(...) detach_libbpf_fns.next_program(__VA_ARGS__)
#define bpf_program__fd(...) detach_libbpf_fns.program_fd(__VA_ARGS__)
#define libbpf_set_print(...) detach_libbpf_fns.set_print(__VA_ARGS__)

// SPDX-License-Identifier: GPL-2.0-or-later
// Whether this process could load our BPF programs, asked without loading any (no bpf() call), so that a
// tool that cannot never tries: the reasons the scan's auto choice reads /proc instead.
#pragma once

#include <optional>
#include <string>

#include "kernel/bpf_iterators.h"
#include "model/pin_source.h"

namespace detach {

// Why the BPF programs cannot load here.
struct BpfUnavailable {
  PinSourceWhy why;    // NotRoot, NoKernelBtf or Lockdown
  std::string detail;  // NoKernelBtf: the path of the BTF that is missing
};

// Why the BPF programs cannot load here, or nothing when they may: no CAP_BPF and CAP_PERFMON (nor
// CAP_SYS_ADMIN) in the effective set; no kernel BTF (/sys/kernel/btf/vmlinux) for CO-RE; lockdown in
// confidentiality mode, which refuses reading kernel memory. Anything else (a kernel without the iterators,
// a verifier that refuses a program) only a load tells.
std::optional<BpfUnavailable> bpf_unavailable(const std::string& sys_root = "/sys");

// Whether this process sees the initial PID namespace: the iterators name tasks by their pids there.
bool in_initial_pid_namespace(const std::string& proc_root = "/proc");

}  // namespace detach

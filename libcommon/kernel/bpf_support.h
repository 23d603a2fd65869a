// SPDX-License-Identifier: GPL-2.0-or-later
// Whether this process could load our BPF programs, asked without loading any (no bpf() call), so that a
// tool that cannot never tries: the reasons the scan's auto choice reads /proc instead.
#pragma once

#include <optional>
#include <string>

#include "kernel/bpf_iterators.h"

namespace detach {

// Why the BPF programs cannot load here, or nothing when they may: no CAP_BPF and CAP_PERFMON (nor
// CAP_SYS_ADMIN) in the effective set; no kernel BTF (/sys/kernel/btf/vmlinux) for CO-RE; lockdown in
// confidentiality mode, which refuses reading kernel memory. Anything else (a kernel without the iterators,
// a verifier that refuses a program) only a load tells.
std::optional<std::string> bpf_unavailable(const std::string& sys_root = "/sys");

// Whether this process sees the initial PID namespace: the iterators name tasks by their pids there.
bool in_initial_pid_namespace(const std::string& proc_root = "/proc");

const char* bpf_loader_name(BpfIterators::Loader loader);  // "the in-kernel loader", "libbpf"

}  // namespace detach

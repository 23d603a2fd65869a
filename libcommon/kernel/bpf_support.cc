// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/bpf_support.h"

#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/procfs.h"

namespace detach {

namespace {

// Capabilities newer than some uapi headers.
constexpr int kCapPerfmon = 38;
constexpr int kCapBpf = 39;

bool has_capability(const __user_cap_data_struct (&data)[2], int cap) {
  return (data[cap / 32].effective & (1U << (cap % 32))) != 0;
}

// Iterators are tracing programs: CAP_BPF and CAP_PERFMON (5.8+), or CAP_SYS_ADMIN, which stands for both.
bool may_load_tracing_programs() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  return has_capability(data, CAP_SYS_ADMIN) ||
         (has_capability(data, kCapBpf) && has_capability(data, kCapPerfmon));
}

}  // namespace

std::optional<BpfUnavailable> bpf_unavailable(const std::string& sys_root) {
  if (!may_load_tracing_programs()) return BpfUnavailable{PinSourceWhy::NotRoot, {}};
  const std::string btf = sys_root + "/kernel/btf/vmlinux";
  if (::access(btf.c_str(), R_OK) != 0) return BpfUnavailable{PinSourceWhy::NoKernelBtf, btf};
  // "none [integrity] confidentiality": only confidentiality refuses bpf_probe_read_kernel. Without
  // securityfs mounted it cannot be read here: a load tells.
  std::string lockdown = read_attribute(sys_root + "/kernel/security/lockdown");
  if (lockdown.find("[confidentiality]") != std::string::npos)
    return BpfUnavailable{PinSourceWhy::Lockdown, {}};
  return std::nullopt;
}

bool in_initial_pid_namespace(const std::string& proc_root) {
  // PROC_PID_INIT_INO, the inode of the initial PID namespace (include/linux/proc_ns.h).
  constexpr ino_t kInitialPidNamespace = 0xEFFFFFFC;
  struct stat st {};
  return ::stat((proc_root + "/self/ns/pid").c_str(), &st) == 0 && st.st_ino == kInitialPidNamespace;
}

}  // namespace detach

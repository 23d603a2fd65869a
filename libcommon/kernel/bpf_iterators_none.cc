// SPDX-License-Identifier: GPL-2.0-or-later
// A build without the BPF source (-Dbpf=disabled, or no clang, bpftool or libbpf): nothing loads, and the
// scan reads /proc.
#include "kernel/bpf_iterators.h"

namespace detach {

Result<BpfIterators> BpfIterators::load(const std::string& family, Loader /*loader*/) {
  return fail(ENOTSUP, "bpf", family, "this build has no BPF source");
}

Status BpfIterators::run(const std::string& program, std::size_t /*record_size*/, const Sink& /*sink*/,
                         int /*netns_fd*/) const {
  return fail(ENOTSUP, "bpf", program, "this build has no BPF source");
}

bool bpf_source_built() {
  return false;
}

}  // namespace detach

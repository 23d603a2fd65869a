// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/bpf/ring_files.h"

#include <unistd.h>

#include <vector>

#include "kernel/bpf/records.h"
#include "scan/bpf/file_id.h"

namespace detach::scan {

Status read_ring_files_bpf(ScanState& state, const BpfIterators& iterators) {
  const pid_t self = ::getpid();
  std::vector<ExactRingFile> found;
  Status read = iterators.for_each<detach_bpf_ring_file>("ring_files", [&](const detach_bpf_ring_file& r) {
    const auto pid = static_cast<pid_t>(r.tgid);
    if (state.options.skip_self && pid == self) return;
    ExactRingFile f;
    f.pid = pid;
    f.tid = r.tid == r.tgid ? 0 : static_cast<pid_t>(r.tid);
    f.fd = r.fd;
    f.slot = r.slot;
    f.file = exact_file(r.file, state.snapshot.id_kind);
    found.push_back(f);
  });
  if (!read) return read;
  state.exact_ring_files = std::move(found);
  return {};
}

}  // namespace detach::scan

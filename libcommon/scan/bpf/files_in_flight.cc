// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/bpf/files_in_flight.h"

#include "kernel/bpf/records.h"
#include "scan/bpf/file_id.h"

namespace detach::scan {

Result<ExactFilesInFlight> read_files_in_flight_bpf(const ScanState& state, const BpfIterators& iterators) {
  ExactFilesInFlight found;
  found.messages_read = DETACH_BPF_INFLIGHT_MESSAGES;
  found.files_read = DETACH_BPF_INFLIGHT_FILES;
  Status read =
      iterators.for_each<detach_bpf_inflight_file>("unix_inflight", [&](const detach_bpf_inflight_file& r) {
        if (r.flags & DETACH_BPF_INFLIGHT_TRUNCATED)
          found.truncated.insert(r.socket_ino);
        else
          found.files.push_back({r.socket_ino, exact_file(r.file, state.snapshot.id_kind)});
      });
  if (!read) return tl::unexpected(read.error());
  return found;
}

}  // namespace detach::scan

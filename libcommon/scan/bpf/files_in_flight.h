// SPDX-License-Identifier: GPL-2.0-or-later
// Files in flight over unix sockets from the BPF program of kernel/bpf/unix_inflight.bpf.c: each file a
// queued message carries, with the mount, device and inode the message holds, and the receiving socket.
// Private to libcommon/scan.
#pragma once

#include "base/result.h"
#include "kernel/bpf_iterators.h"
#include "scan/scan_state.h"

namespace detach::scan {

// The family of programs this step runs (kernel/bpf/meson.build).
inline constexpr const char* kUnixInflightFamily = "unix_inflight";

// Every unix socket's queued files (sockets of this process's network namespace: the iterator's); fails, and
// gives nothing, when the iterator does.
Result<ExactFilesInFlight> read_files_in_flight_bpf(const ScanState& state, const BpfIterators& iterators);

}  // namespace detach::scan

// SPDX-License-Identifier: GPL-2.0-or-later
// io_uring registered files from the BPF program of kernel/bpf/ring_files.bpf.c: each ring's files with the
// mount, device and inode the ring holds, read from its own file table. Private to libcommon/scan.
#pragma once

#include "base/result.h"
#include "kernel/bpf_iterators.h"
#include "scan/scan_state.h"

namespace detach::scan {

// The family of programs this step runs (kernel/bpf/meson.build).
inline constexpr const char* kRingFilesFamily = "ring_files";

// Every ring's registered files into STATE's exact_ring_files; nothing when the iterator fails.
Status read_ring_files_bpf(ScanState& state, const BpfIterators& iterators);

}  // namespace detach::scan

// SPDX-License-Identifier: GPL-2.0-or-later
// binfmt_misc entries with flag F from the BPF program of kernel/bpf/binfmt_entries.bpf.c: the interpreter
// file each holds, read from its instance's own list, where the entry's file gives only a path. Private to
// libcommon/scan.
#pragma once

#include <vector>

#include "base/result.h"
#include "kernel/bpf/records.h"
#include "kernel/bpf_iterators.h"
#include "scan/scan_state.h"

namespace detach::scan {

// The family of programs this step runs (kernel/bpf/meson.build).
inline constexpr const char* kBinfmtEntriesFamily = "binfmt_entries";

// The entries RECORDS give, their files' mounts of the id kind KIND; fails when the records say that this
// kernel's instances cannot be read (before 6.7: one static list, out of BPF's reach).
Result<ExactBinfmtEntries> binfmt_entries_from_records(const std::vector<detach_bpf_binfmt_entry>& records,
                                                       IdKind kind);

// Whether an instance may hold an interpreter: STATE has a mount of binfmt_misc, attached or detached, or a
// detached mount whose type is unknown (one of binfmt_misc, maybe, with no mount table to show it).
bool wants_binfmt_entries(const ScanState& state);

// Every instance's entries into STATE's exact_binfmt; fails, and gives nothing, when the iterator does.
Status read_binfmt_entries_bpf(ScanState& state, const BpfIterators& iterators);

}  // namespace detach::scan

// SPDX-License-Identifier: GPL-2.0-or-later
// Which source the scan reads task pins from (README, "Where task pins come from"): BPF iterators in the
// kernel, one pass over every task, or /proc/PID, a syscall per fd. auto takes BPF where it loads and /proc
// otherwise, silently (Snapshot::pin_source says which and why).
#pragma once

namespace detach {

enum class ScanSource { Auto, Bpf, Proc };

// The environment's choice: DETACH_SCAN_SOURCE=bpf or proc; auto when unset, empty, "auto" or anything else.
ScanSource scan_source_from_environment();

const char* scan_source_name(ScanSource source);  // "auto", "bpf", "proc"

}  // namespace detach

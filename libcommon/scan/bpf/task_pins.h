// SPDX-License-Identifier: GPL-2.0-or-later
// Task pins from BPF iterators (kernel/bpf/task_pins.bpf.c): what scan_task_pins() reads from /proc, read in
// the kernel in one pass over every task. Private to libcommon/scan.
#pragma once

#include "base/result.h"
#include "kernel/bpf_iterators.h"
#include "scan/scan_state.h"

namespace detach::scan {

// The family of programs this step runs (kernel/bpf/meson.build).
inline constexpr const char* kTaskPinsFamily = "task_pins";

// The same pins as scan_task_pins() gives, in the same order and by the same rules (task_pin_rules.h): the
// mounts, devices and inodes from the kernel; the few details a view prints (paths) still from /proc. Adds
// nothing to STATE when an iterator fails.
Status scan_task_pins_bpf(ScanState& state, const BpfIterators& iterators);

}  // namespace detach::scan

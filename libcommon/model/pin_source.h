// SPDX-License-Identifier: GPL-2.0-or-later
// Where a snapshot's task pins came from, and why that source: what a tool says in one line under -v.
#pragma once

#include <string>

namespace detach {

struct PinSource {
  bool bpf = false;  // read by BPF iterators in the kernel; false: from /proc/PID
  // What chose it, for people: "DETACH_SCAN_SOURCE=proc", "not root: CAP_BPF and CAP_PERFMON are missing",
  // "loaded by the in-kernel loader" ...
  std::string why;
};

}  // namespace detach

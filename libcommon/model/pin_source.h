// SPDX-License-Identifier: GPL-2.0-or-later
// Where a snapshot's task pins came from, and why that source: what a tool says in one line under -v. The why
// is a kind and its argument, said in a reader's words by pin_source_why().
#pragma once

#include <string>

#include "base/i18n.h"

namespace detach {

// What chose the source.
enum class PinSourceWhy {
  Unsaid,           // nothing to say (a hand-built snapshot)
  NoTaskPins,       // the scan asked for no task pins
  ProcAsked,        // DETACH_SCAN_SOURCE=proc, or the scan's options
  FixtureTree,      // a fixture tree is read, not the running system
  NotBuilt,         // this build has no BPF source
  NotRoot,          // CAP_BPF and CAP_PERFMON (nor CAP_SYS_ADMIN) are missing
  NoKernelBtf,      // detail: the path of the kernel's BTF that is missing
  Lockdown,         // kernel lockdown (confidentiality) refuses reading kernel memory
  NotInitialPidNs,  // the iterators name tasks by their pids in the initial PID namespace
  LoadFailed,       // detail: the error
  LoadedInKernel,   // loaded by the in-kernel loader
  LoadedByLibbpf,   // loaded by libbpf
  IteratorsFailed,  // detail: the error
};

// How a BPF family the scan runs only when it finds what that family reads (io_uring rings' registered files,
// files in flight over unix sockets, the layers of overlays task pins lead to, binfmt_misc entries) went,
// when the task pins came from BPF. Where it did not run, the /proc reading of the same things stands: the
// rings' fdinfo, the sockets' fdinfo counts, the overlays' options, the entries' interpreter paths.
enum class FamilyFallback {
  None,        // its program ran, or there was nothing for it to read
  DidNotLoad,  // detail: the error
  Failed,      // detail: the error
};

struct PinSource {
  bool bpf = false;  // read by BPF iterators in the kernel; false: from /proc/PID
  PinSourceWhy why = PinSourceWhy::Unsaid;
  std::string why_detail;  // as the kind says
  FamilyFallback rings = FamilyFallback::None;
  std::string rings_detail;
  FamilyFallback in_flight = FamilyFallback::None;
  std::string in_flight_detail;
  FamilyFallback overlays = FamilyFallback::None;
  std::string overlays_detail;
  FamilyFallback binfmt = FamilyFallback::None;
  std::string binfmt_detail;
};

// Why SOURCE was chosen, in WORDS: "not root: CAP_BPF and CAP_PERFMON are missing", "loaded by libbpf;
// io_uring registered files placed from the rings' fdinfo: their BPF program failed (...)"; empty when
// unsaid.
std::string pin_source_why(const PinSource& source, const Words& words);

}  // namespace detach

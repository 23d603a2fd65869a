// SPDX-License-Identifier: GPL-2.0-or-later
// Which source gave a snapshot's task pins, and why, in one line: what a tool says under -v.
#pragma once

#include <string>

#include "model/snapshot.h"

namespace detach {

// "task pins read by BPF iterators (loaded by the in-kernel loader)",
// "task pins read from /proc (not root: CAP_BPF and CAP_PERFMON are missing)".
std::string pin_source_text(const Snapshot& snapshot);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// What to do about a kernel object that holds a filesystem, where "held by X" does not say it: a binfmt_misc
// entry, a uprobe event, a BPF link no process holds. Said by umount below its busy and lives-on lines.
#pragma once

#include <string>
#include <vector>

#include "model/snapshot.h"

namespace detach {

// A line for each such kernel object among PINS that is certainly on the filesystem (placed), once each:
//   "remove the binfmt_misc entry qemu-arm first: echo -1 > /proc/sys/fs/binfmt_misc/qemu-arm"
//   "remove the uprobe event uprobes/x first: echo '-:uprobes/x' >> /sys/kernel/tracing/uprobe_events"
//   "remove the pin of BPF link 7 first (bpftool -f link show id 7 names it), or end what holds it"
// Paths and names are quoted for a shell where they need it, control characters shown as \xNN.
std::vector<std::string> kernel_object_advice(const Snapshot& snapshot, const std::vector<const Pin*>& pins);

}  // namespace detach

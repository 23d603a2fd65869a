// SPDX-License-Identifier: GPL-2.0-or-later
// Overlays' layers from the BPF programs of kernel/bpf/overlay_layers.bpf.c: the device and inode of each
// layer's directory, read from the overlay's own superblock, where its options give only paths. Private to
// libcommon/scan.
#pragma once

#include <set>
#include <vector>

#include "base/result.h"
#include "kernel/bpf/records.h"
#include "kernel/bpf_iterators.h"
#include "scan/scan_state.h"

namespace detach::scan {

// The family of programs this step runs (kernel/bpf/meson.build).
inline constexpr const char* kOverlayLayersFamily = "overlay_layers";

// One overlay's records as its programs wrote them, in any order, as its layers in parse_overlay_options's
// order (lower layers top first, data-only ones, upperdir, workdir); empty unless every layer was read once
// (an overlay with more lower layers than the program reads, or a layer without a device, has some missing).
std::vector<ExactOverlayLayer> overlay_layers_from_records(std::vector<detach_bpf_overlay_layer> records);

// The overlays (by device) of STATE's mounts that a task's cwd, root, exe, open file or mapping lies on:
// those the programs can reach.
std::set<DeviceNumber> overlays_under_task_pins(const ScanState& state);

// The layers of the overlays WANTED into STATE's exact_overlays. The programs' iterators run in turn (the
// tasks' cwd, root and exe, then their open files, then their mappings) until each wanted overlay was met, or
// none is left to run; fails, and gives nothing, when an iterator does.
Status read_overlay_layers_bpf(ScanState& state, const BpfIterators& iterators,
                               const std::set<DeviceNumber>& wanted);

}  // namespace detach::scan

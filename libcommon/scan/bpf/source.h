// SPDX-License-Identifier: GPL-2.0-or-later
// The source of one snapshot's task pins (ScanOptions::source): BPF iterators where they load, /proc
// otherwise. Private to libcommon/scan.
#pragma once

#include <future>
#include <optional>
#include <string>

#include "base/result.h"
#include "kernel/bpf_iterators.h"
#include "scan/scan_state.h"

namespace detach::scan {

class TaskPinSource {
 public:
  // Chooses the source; BPF's programs load on a thread of their own meanwhile, while the scan lists tasks,
  // namespaces and devices (a load takes a few milliseconds).
  explicit TaskPinSource(const ScanOptions& options);

  // The task pins into STATE from the chosen source, and which source and why into its snapshot. With auto, a
  // BPF source that fails gives way to /proc; with bpf, the scan fails instead.
  Status scan(ScanState& state);

  // After the census (add_object_pins): when the task pins came from BPF and the census counted files in
  // flight in a socket's queue (its fdinfo's scm_fds), which files those are, from the queue itself
  // (place_files_in_flight); only then is that family loaded and run. When it fails, the census's "may" pins
  // stay, and the snapshot's source says why.
  static void place_files_in_flight(ScanState& state);

  // Before the census places overlays' layers (add_mount_file_pins): when the task pins came from BPF and
  // lead to an overlay, that overlay's layers from its own superblock (read_overlay_layers_bpf); only then
  // is that family loaded and run. When it fails, the layers are placed from the overlays' options, and the
  // snapshot's source says why.
  static void read_overlay_layers(ScanState& state);

  // In the census of probe pins (add_probe_pins), before it places binfmt_misc interpreters: when the task
  // pins came from BPF and a binfmt_misc instance may hold an interpreter (wants_binfmt_entries), every
  // instance's entries with flag F from the instances' own lists (read_binfmt_entries_bpf); only then is that
  // family loaded and run, the last of them. When it fails, the interpreters are placed by their paths, and
  // the snapshot's source says why.
  static void read_binfmt_entries(ScanState& state);

 private:
  struct Choice {
    std::optional<BpfIterators> iterators;  // loaded: task pins come from them
    PinSource source;                       // why, and how the rings' files were read (scan() sets bpf)
  };
  static Choice choose(const ScanOptions& options);
  // The rings' registered files from their file tables (else from their fdinfo; -v says why), when the task
  // pins hold an io_uring ring: only then is that family loaded and run, for it is a second pass over every
  // open file (on 200 x 1,000 fds it took more than the whole task-pin scan).
  static void read_rings(ScanState& state, Choice& choice);

  const ScanOptions& options_;
  std::future<Choice> choice_;
};

}  // namespace detach::scan

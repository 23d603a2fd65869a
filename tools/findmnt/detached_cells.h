// SPDX-License-Identifier: GPL-2.0-or-later
// The cells of --detached rows: a filesystem (superblock), a detached mount, one of its pinners, or (with
// --per-pin) one pin.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "columns.h"
#include "config.h"
#include "context.h"
#include "model/pinner.h"
#include "model/snapshot.h"

namespace findmnt {

// What pins a detached mount: pins on the mount itself, plus the kernel pins that hold it through its device
// only (Snapshot::device_only_pins_of).
std::vector<const detach::Pin*> pins_for(const detach::Snapshot& snap, const detach::Mount& m);

// Columns that describe one pinner (PINNERS, PID, COMMAND, USER, UNIT, HOW): a list that shows any of them
// has a row per (mount, pinner); one without them a row per mount.
bool is_pinner_column(Column col);
bool shows_pinners(const Config& cfg);

// PINNERS, PINS and PIDS of a row that stands for several pinners (a filesystem or mount row): its pinner
// rows below list them all, so PINNERS names the first few.
std::optional<std::string> pins_summary_cell(Column col, const std::vector<const detach::Pin*>& pins,
                                             const detach::Snapshot& snap);

std::optional<std::string> mount_cell(const detach::Mount& m, Column col, const Config& cfg);
// The same, with SOURCES from the snapshot (sources_cell).
std::optional<std::string> mount_cell(const detach::Snapshot& snap, const detach::Mount& m, Column col,
                                      const Config& cfg);
std::optional<std::string> pinner_cell(const detach::Pinner& pinner, Column col,
                                       const detach::Snapshot& snap);
// --per-pin: one pin of PINNER; HOW also names the path of what it holds.
std::optional<std::string> pin_cell(const detach::Pinner& pinner, const detach::Pin& pin, Column col,
                                    const detach::Snapshot& snap);
// A superblock row of the tree: the filesystem, whatever mount of it is shown below.
std::optional<std::string> superblock_cell(const detach::Superblock& sb, Column col, const Config& cfg);
std::optional<std::string> superblock_cell(const detach::Snapshot& snap, const detach::Superblock& sb,
                                           Column col, const Config& cfg);

// The source a user names may be a symlink (/dev/disk/by-label/x) of the device the snapshot knows, or (with
// SNAP) another device of the mount's filesystem (btrfs).
bool same_device(const detach::Mount& m, const std::string& source, const detach::Snapshot* snap);

// SOURCES of a detached mount or filesystem: its source, then the other devices its filesystem is on (btrfs,
// as sysfs lists them), one per line: util-linux's SOURCES lists every device of a multi-device filesystem.
std::optional<std::string> sources_cell(const detach::Snapshot& snap, detach::DeviceNumber fs_dev,
                                        const std::string& source);

// Whether detached mount M passes the filters, for the listing (with its snapshot: -N also matches a mount a
// task of that namespace pins) and for --poll events (no snapshot: only the namespace it was detached from).
// -S takes a source or MAJ:MIN, -T/-M the former mount point, -O the options OPTIONS shows. Without -i.
bool detached_matches(const detach::Mount& m, const Context& ctx, const detach::Snapshot* snap);

// ISO 8601 with the local offset, as util-linux prints times ("2026-11-24T02:40:11+00:00").
std::string iso_time(long long epoch_seconds);

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
// A canonical text dump of the part of a Snapshot a test is about (its processes, their pins and the mounts
// those pins and its devices have), so that the BPF source and the /proc source can be held to the same
// answer line by line: any difference shows as a diff, not as a boolean.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "model/snapshot.h"
#include "scan/scan.h"

namespace bpftest {

struct DumpFilter {
  std::set<pid_t> pids;                       // the test's processes: their pins and tasks
  std::vector<detach::DeviceNumber> devices;  // the test's filesystems: every mount and kernel pin on them
  // The test's kernel objects (an overlay's mount point): their kernel pins, placed on a filesystem or not.
  std::set<std::string> holders{};
};

// One line per mount (sorted by key), per pin (in snapshot order: a process's of FILTER, or the kernel's on a
// device of FILTER) and per task (by pid) that FILTER names, every field of each. The source itself
// (Snapshot::pin_source) is left out.
std::string CanonicalDump(const detach::Snapshot& snapshot, const DumpFilter& filter);

// The same snapshot taken twice, once from each source (OPTIONS's source replaced), dumped.
struct BothSources {
  std::string bpf;
  std::string proc;
  std::string bpf_why;  // Snapshot::pin_source of the BPF run: "loaded by ..."
  bool bpf_used = false;
};
BothSources TakeFromBothSources(detach::ScanOptions options, const DumpFilter& filter);

// The ScanOptions the tools use, each under a name: every pin detailed (the default), fd paths (--per-pin),
// only the first fd of a process on a detached mount detailed (fuser -m), no attached mount detailed (findmnt
// --detached), only the mounts of DEV (mkfs-guard DEV), and neither mappings nor threads.
struct NamedOptions {
  std::string name;
  detach::ScanOptions options;
};
std::vector<NamedOptions> ToolOptions(const detach::DeviceNumber& dev);

// The name of a parameterised test of a case (anything with a `name`) on a filesystem attached or lazily
// detached: "CwdAttached", "CwdDetached".
template <typename ParamInfo>
std::string AttachedOrDetachedName(const ParamInfo& info) {
  return std::get<0>(info.param).name + (std::get<1>(info.param) ? "Detached" : "Attached");
}

// Parses "MAJ:MIN".
detach::DeviceNumber ParseDevice(const std::string& text);

// The device (st_dev) of PATH; throws when it cannot be stat'ed.
detach::DeviceNumber DeviceOf(const std::string& path);

// How many pin lines of DUMP are of KIND ("cwd", "fd", ...) and on device DEV (dev= or, for a block device
// held open, rdev=): a differential test also checks that what it compares holds the pins it made.
int PinsOn(const std::string& dump, const std::string& kind, const detach::DeviceNumber& dev);

// The pin lines of DUMP of KIND ("files-in-flight", ...), in order.
std::vector<std::string> PinLines(const std::string& dump, const std::string& kind);

// PROC as the BPF source gives it, placing exactly what /proc leaves unplaced: each pin of KIND on no
// filesystem ("may": a path that resolved nowhere, or a count) on mount MOUNT, device DEV, inode INO. With
// RELISTED, MOUNT is the detached mount the BPF source found by that file, which /proc lists by its device:
// that mount's line is rewritten to its key and the mounts re-sorted, as the dump lists them by key. A pin of
// KIND /proc placed by a former mount point, on the device's kernel-held mount with no inode, is placed so
// too. Throws when PROC has no such pin: the difference must be there.
std::string PlacedExactly(const std::string& proc, const std::string& kind, detach::MountKey mount,
                          const detach::DeviceNumber& dev, std::uint64_t ino, bool relisted = false);

// DUMP without its pin lines of KIND.
std::string WithoutPins(const std::string& dump, const std::string& kind);

// The inode (st_ino) of PATH; throws when it cannot be stat'ed.
std::uint64_t InodeOf(const std::string& path);

}  // namespace bpftest

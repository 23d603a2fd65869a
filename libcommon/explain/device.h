// SPDX-License-Identifier: GPL-2.0-or-later
// "Why is DEVICE busy?" answered on a Snapshot: first as data (a list of reasons), then as text or JSON.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace detach {

enum class ReasonKind {
  Mounted,           // an attached mount of the device's filesystem, in some mount namespace
  DetachedPinned,    // a lazily detached mount of it, still kept alive by its pins
  SwapPartition,     // the device itself is an active swap area
  SwapFileOnFs,      // an active swap file lives on the device's filesystem
  LoopBackingFile,   // a loop device is backed by a file on the device's filesystem
  Holder,            // a device stacked on it (sysfs holders/: device-mapper, LUKS, LVM, md)
  FilesystemDevice,  // a filesystem claims it besides its source: an xfs log or realtime device, an ext4
                     // external journal, a btrfs device (nested reasons say where that filesystem is)
  PartitionBusy,     // a partition of this disk is busy (nested reasons say why)
  OpenForWriting,    // processes have the device node open for writing: no claim, yet mkfs would overwrite
                     // what they write (a VM's raw disk, a dd)
  OpenedBy,          // processes have the device node open for reading only: a note, not a reason
  ExclusiveOpener,   // claimed, and nothing but processes with the device open explains it: one of them may
                     // hold the claim (an exclusive open, as mkfs makes; /proc does not say which)
  UnboundLoop,       // a loop device with no backing file: nothing to put a filesystem on
  ZeroSize,          // a device of size 0 (an unset zram, a drive without a medium)
  Unknown,           // claimed, but nothing seen explains it (the scan may have missed it: see unseen)
};

// The JSON "kind": "mounted", "detached-mount", "swap-partition", "swap-file", "loop-backing", "holder",
// "filesystem-device", "partition", "open-for-writing", "opened-by", "exclusive-opener", "unbound-loop",
// "zero-size", "unknown".
const char* reason_kind_name(ReasonKind kind);

// One reason, as data. Which fields are set depends on kind (see the comments).
struct Reason {
  ReasonKind kind = ReasonKind::Unknown;
  MountKey mount = 0;            // Mounted, DetachedPinned
  std::string fstype;            // Mounted, DetachedPinned
  std::string target;            // Mounted: mount point; DetachedPinned: the former one when journaled
  std::uint64_t ns_inode = 0;    // Mounted: namespace it is attached in
  bool other_namespace = false;  // Mounted: that namespace is not the caller's
  std::vector<pid_t> ns_tasks;   // Mounted in another namespace: the processes in it
  std::string ns_unit;           // ... the systemd unit or container scope they run in ("docker-ab.scope")
  std::vector<std::string> ns_kept_alive_by;  // ... and, when none is, what keeps it alive ("nsfs mount /x")
  std::vector<std::size_t> pins;  // indexes into Snapshot::pins: Mounted, DetachedPinned, OpenForWriting,
                                  // OpenedBy, ExclusiveOpener
  // DetachedPinned with nothing seen pinning it, Unknown: pins the scan could not place (Pin::placed) that
  // could hold it: they MAY, and are said so.
  std::vector<std::size_t> suspects;
  std::string file;             // SwapFileOnFs, LoopBackingFile, SwapPartition: the path the kernel shows
  std::string loop;             // LoopBackingFile: "/dev/loop4"
  bool backing_device = false;  // LoopBackingFile: the loop device is backed by the device itself
  std::string holder;           // Holder: "dm-0", "md0"
  std::string holder_type;      // Holder: "luks", "dm-crypt", "lvm", "multipath", "device-mapper", "md", ""
  std::string dm_name;          // Holder: device-mapper name
  std::string md_level;         // Holder: md level ("raid1")
  std::string partition;        // PartitionBusy: "/dev/loop3p1"
  ClaimRole role = ClaimRole::Log;  // FilesystemDevice: what the device is to the filesystem
  std::string filesystem;           // FilesystemDevice: the device the filesystem is named by ("/dev/loop4")
  std::string fs_uuid;              // FilesystemDevice: btrfs's fsid
  // PartitionBusy, Holder: why the partition or holder is busy; FilesystemDevice: where the filesystem is
  // mounted or was lazily unmounted, and what else keeps it alive (swap files, loop devices on it)
  std::vector<Reason> nested;
  std::vector<std::string> unseen;  // Unknown: what the scan could not see (unseen_text in English)
  bool certain = true;              // false: ExclusiveOpener, which of the openers holds the claim is unknown
};

// What the exclusive open (open O_EXCL, as mkfs does it) said.
enum class Claim {
  Free,       // it succeeded: nothing claims the device
  Claimed,    // EBUSY: a filesystem, swap area, holder or other exclusive opener has it
  Unchecked,  // it failed otherwise (EACCES, EPERM): the snapshot alone tells
};

enum class DeviceStatus {
  Free,       // mkfs can use it
  Busy,       // claimed, or held by a reason (a mount, a writer ...)
  Unusable,   // nothing holds it, but there is nothing to format (unbound loop, size 0)
  Unchecked,  // the claim could not be checked and nothing seen holds it
};

// "free", "busy", "unusable", "unchecked": the JSON "status".
const char* device_status_name(DeviceStatus status);

struct DeviceReport {
  std::string device;  // as the user named it: "/dev/loop3"
  DeviceNumber dev;
  Claim claim = Claim::Free;
  std::string claim_error;  // Unchecked: why ("Permission denied")
  DeviceStatus status = DeviceStatus::Free;
  std::vector<Reason> reasons;

  bool busy() const { return status == DeviceStatus::Busy; }
};

struct ExplainOptions {
  std::uint64_t own_ns_inode = 0;  // the caller's mount namespace; 0: unknown, never say "in namespace"
  pid_t own_pid = 0;               // the caller's own fds on the device are no reason
  // A process with the device open for writing makes it busy; false (mkfs-guard --force): a note only.
  bool writers_block = true;
};

// True when some reason holds the device: anything but a plain open (for reading; for writing too when
// WRITERS_BLOCK is false) or a note on what the device is.
bool holds_device(const std::vector<Reason>& reasons, bool writers_block = true);

// True when every reason that holds the device (partitions' and claiming filesystems' included) is a lazily
// detached mount: the kind of busy that ends by itself once its pinners go, so waiting (or ending those
// pinners) can free it.
bool held_only_by_detached_mounts(const std::vector<Reason>& reasons);

DeviceReport explain_device(const Snapshot& snapshot, const std::string& device, DeviceNumber dev,
                            Claim claim, const ExplainOptions& options = {});

// What the check looked at, in WORDS (mkfs-guard -v for a person, "checks" of its JSON for a program): the
// exclusive open, the namespaces, mounts and processes scanned, swap areas, loop devices, the partitions and
// holders in sysfs.
std::vector<std::string> checks_made(const Snapshot& snapshot, const DeviceReport& report,
                                     const Words& words);

// What the scan could not see, its counts and its notes (explain/scan_notes.h), in WORDS (a Reason's unseen
// are these in English).
std::vector<std::string> unseen_text(const Snapshot& snapshot, const Words& words);

}  // namespace detach

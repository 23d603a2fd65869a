// "Why is DEVICE busy?" answered on a Snapshot: first as data (a list of reasons), then as text or JSON.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace detach {

enum class ReasonKind {
  Mounted,          // an attached mount of the device's filesystem, in some mount namespace
  DetachedPinned,   // a lazily detached mount of it, still kept alive by its pins
  SwapPartition,    // the device itself is an active swap area
  SwapFileOnFs,     // an active swap file lives on the device's filesystem
  LoopBackingFile,  // a loop device is backed by a file on the device's filesystem
  Holder,           // a device stacked on it (sysfs holders/: device-mapper, md)
  PartitionBusy,    // a partition of this disk is busy (nested reasons say why)
  OpenedBy,         // processes have the device node itself open
  Unknown,          // claimed, but nothing seen explains it (the scan may have missed it: see unseen)
};

// The JSON "kind": "mounted", "detached-mount", "swap-partition", "swap-file", "loop-backing", "holder",
// "partition", "opened-by", "unknown".
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
  std::vector<std::string> ns_kept_alive_by;  // ... and, when none is, what keeps it alive ("nsfs mount /x")
  std::vector<std::size_t> pins;    // indexes into Snapshot::pins: Mounted, DetachedPinned, OpenedBy
  std::string file;                 // SwapFileOnFs, LoopBackingFile, SwapPartition: the path the kernel shows
  std::string loop;                 // LoopBackingFile: "/dev/loop4"
  bool backing_device = false;      // LoopBackingFile: the loop device is backed by the device itself
  std::string holder;               // Holder: "dm-0", "md0"
  std::string dm_name;              // Holder: device-mapper name
  std::string md_level;             // Holder: md level ("raid1")
  std::string partition;            // PartitionBusy: "/dev/loop3p1"
  std::vector<Reason> nested;       // PartitionBusy, Holder: why the partition or holder is busy
  std::vector<std::string> unseen;  // Unknown: what the scan could not see
  bool certain = true;              // false: a likely reason, not a proven one (a relative swap file)
};

struct DeviceReport {
  std::string device;  // as the user named it: "/dev/loop3"
  DeviceNumber dev;
  bool claimed = false;  // open(O_EXCL) failed with EBUSY
  // Claimed, or some reason other than OpenedBy found: a plain (non-exclusive) open does not stop mkfs, so a
  // device only open somewhere is free, and the openers are told as a warning.
  bool busy = false;
  std::vector<Reason> reasons;
};

struct ExplainOptions {
  std::uint64_t own_ns_inode = 0;  // the caller's mount namespace; 0: unknown, never say "in namespace"
  pid_t own_pid = 0;               // the caller's own fds on the device are no reason
  // Does a mount SOURCE name the device DEV? btrfs gives each superblock an anonymous st_dev, so the mount's
  // source is the only link to the device. Unset: SOURCE must equal the device path.
  std::function<bool(const std::string& source, DeviceNumber dev)> source_is_device;
};

// True when some reason holds the device: anything but a plain open.
bool holds_device(const std::vector<Reason>& reasons);

DeviceReport explain_device(const Snapshot& snapshot, const std::string& device, DeviceNumber dev,
                            bool claimed, const ExplainOptions& options = {});

}  // namespace detach

// Builds a Snapshot from the running system, or from a fixture tree laid out like /proc and /sys.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/result.h"
#include "journal/journal.h"
#include "model/snapshot.h"

namespace detach {

struct ScanOptions {
  std::string proc_root = "/proc";
  std::string sys_root = "/sys";
  std::string dev_root = "/dev";
  // true: use the syscalls (listmount, statmount, statx unique ids, nsfs and loop ioctls).
  // false: read files only (mountinfo, fdinfo, sysfs): the fallback path of old kernels, and how fixtures
  // load.
  bool live = true;
  bool task_pins = true;  // scan /proc/PID for cwd, root, exe, fds, mmaps
  bool threads = true;    // also threads with their own fs or fd table
  bool mmaps = true;
  // Which attached mounts need pin details (path, access mode). Pins of detached mounts always get them.
  // Unset: all. Details cost a readlink per pin, so tools that ask about one device narrow this.
  std::function<bool(const Mount&)> detail_pins_of;
  // Which detached mounts to describe (source, fs type, options: sysfs, and blkid and statfs in children).
  // Unset: all. Those not described keep their ids and device only; a watcher that reported a mount already
  // does not need it again every second.
  std::function<bool(MountKey)> describe_detached;
  // Anything that has to call into a filesystem (fstatfs of a detached mount) gets this long, in a child.
  std::chrono::milliseconds fs_call_timeout{2000};
  // Where the journal of lazy detaches is read from, to give detached mounts their former mount point,
  // namespace and time. Empty: not read. Read as given for fixture scans too, with the boot id of proc_root.
  std::string journal_dir = kDefaultJournalDir;
};

Result<Snapshot> take_snapshot(const ScanOptions& options);

}  // namespace detach

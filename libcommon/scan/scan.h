// Builds a Snapshot from the running system, or from a fixture tree laid out like /proc and /sys.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

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
  // Which attached mounts need pin details (access mode of fds, path of cwd, root, exe and mmaps). Pins of
  // detached mounts always get them, unless detached_details is false. Unset: all. Details cost a syscall per
  // pin, so tools that ask about one device narrow this. Called from several threads at once: it must only
  // read what it captures.
  std::function<bool(const Mount&)> detail_pins_of;
  // false: of a task's fds on a detached mount only the first gets details (its path tells the mount from a
  // kernel-internal one), the others cost no syscall more than their statx: for a tool that prints nothing
  // of them (fuser -m without -v).
  bool detached_details = true;
  // Also the path of every detailed fd (a readlink each; one row per pin wants them). Without it, like fds
  // of a task (consecutive numbers, one mount, one access mode) are kept as one range pin.
  bool fd_paths = false;
  // The calling process is no pinner: its own stdin/stdout are not what a user asks about (psmisc's fuser
  // skips itself too).
  bool skip_self = true;
  // How many threads scan /proc in parallel; 0: one per CPU (at most 8).
  unsigned workers = 0;
  // Which detached mounts to describe (source, fs type, options: sysfs, and blkid and statfs in children).
  // Unset: all. Those not described keep their ids and device only; a watcher that reported a mount already
  // does not need it again every second.
  // Called with the mount's ids and device only.
  std::function<bool(const Mount&)> describe_detached;
  // The per-mount options of detached mounts (fstatfs, bounded). Without them, a detached mount's fs is asked
  // only when nothing else tells its type and source (btrfs, tmpfs), and a FUSE one never (fusectl names it).
  bool detached_options = true;
  // Anything that has to call into a filesystem (fstatfs of detached mounts, blkid of their devices) runs in
  // killable children, all at once, within this time overall.
  std::chrono::milliseconds fs_call_timeout{2000};
  // Where the journal of lazy detaches is read from, to give detached mounts their former mount point,
  // namespace and time. Empty: not read. Read as given for fixture scans too, with the boot id of proc_root.
  std::string journal_dir = kDefaultJournalDir;
};

Result<Snapshot> take_snapshot(const ScanOptions& options);

// Command, user and unit of PIDS into SNAPSHOT's tasks, for processes a tool found among pins the scan gave
// no details (fuser -m names processes it matched by mount only). Those described already are kept.
void describe_processes(const ScanOptions& options, Snapshot& snapshot, const std::vector<pid_t>& pids);

}  // namespace detach

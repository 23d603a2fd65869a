// SPDX-License-Identifier: GPL-2.0-or-later
// Builds a Snapshot from the running system, or from a fixture tree laid out like /proc and /sys.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "journal/journal.h"
#include "model/snapshot.h"
#include "scan/fs_call_timeout.h"
#include "scan/scan_source.h"

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
  // Where task pins are read from: BPF iterators or /proc/PID (scan/scan_source.h). bpf: the scan fails when
  // BPF cannot be used; auto: /proc then. Fixture scans (not live, or another proc_root) always read files.
  ScanSource source = scan_source_from_environment();
  // Loop devices and swaps (their backing files pin filesystems). A loop device backed by a file on a dead
  // server costs its bound: a look at the mounts alone (the detach monitor's first one) goes without.
  bool kernel_pins = true;
  bool threads = true;  // also threads with their own fs or fd table
  bool mmaps = true;
  // Which attached mounts need pin details (access mode of fds, path of cwd, root, exe and mmaps). Pins of
  // detached mounts always get them, unless detached_details is false. Unset: all. Details cost a syscall per
  // pin, so tools that ask about one device narrow this. Called from several threads at once: it must only
  // read what it captures.
  std::function<bool(const Mount&)> detail_pins_of;
  // Block devices a tool asks about: the mounts on them, on their partitions and on the devices stacked on
  // them (sysfs holders/, recursively) get pin details too, whatever detail_pins_of says (a whole disk's
  // partition mounted, a dm device over it). A mount is on a device by its MAJ:MIN, or for an anonymous one
  // (btrfs) by a /dev source naming the device.
  std::vector<DeviceNumber> detail_devices;
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
  // Also describe (command, user, unit) the first few tasks of each namespace that lists a mount with pin
  // details: who owns a copy of a mount there (a container, a service). Off: only pinners are described.
  bool describe_namespace_tasks = false;
  // Which detached mounts to describe (source, fs type, options: sysfs, and blkid and statfs in children).
  // Unset: all. Those not described keep their ids and device only; a watcher that reported a mount already
  // does not need it again every second.
  // Called with the mount's ids and device only.
  std::function<bool(const Mount&)> describe_detached;
  // The per-mount options of detached mounts (fstatfs, bounded). Without them, a detached mount's fs is asked
  // only when nothing else tells its type and source (btrfs, tmpfs), and a FUSE one never (fusectl names it).
  bool detached_options = true;
  // Anything that has to call into a filesystem (fstatfs of detached mounts, blkid of their devices) runs in
  // killable children, all at once, within this time overall (counted from the scan's start): 2 s, or what
  // DETACH_FS_TIMEOUT_MS says (scan/fs_call_timeout.h).
  std::chrono::milliseconds fs_call_timeout = fs_call_timeout_from_environment();
  // Which loop devices' status (LOOP_GET_STATUS64), and which swap files' stat, to ask for: one whose backing
  // file's filesystem does not answer costs the bound above. Unset: all. Those not asked are taken as
  // unresponsive, so a caller that takes snapshot after snapshot (the detach monitor) does not pay the bound
  // again for one that did not answer lately (scan/unresponsive.h).
  std::function<bool(const LoopDevice&)> ask_loop_status;
  std::function<bool(const SwapArea&)> ask_swap_file;
  // Where the journal of lazy detaches is read from, to give detached mounts their former mount point,
  // namespace and time. Empty: not read. Read as given for fixture scans too, with the boot id of proc_root.
  std::string journal_dir = kDefaultJournalDir;
  // Detaches and unmounts the caller has just made and not journaled yet (umount explains before it
  // records): joined as the journal's newest records are, whether or not the journal is read.
  std::vector<DetachRecord> just_unmounted;
};

Result<Snapshot> take_snapshot(const ScanOptions& options);

// The inode of the caller's mount namespace (PROC_ROOT/self/ns/mnt); 0 when it cannot be read.
std::uint64_t caller_mount_namespace(const std::string& proc_root = "/proc");

// Command, user and unit of PIDS into SNAPSHOT's tasks, for processes a tool found among pins the scan gave
// no details (fuser -m names processes it matched by mount only). Those described already are kept.
void describe_processes(const ScanOptions& options, Snapshot& snapshot, const std::vector<pid_t>& pids);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// One picture of the system, taken once per run, that every tool reads.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/claimed_device.h"
#include "model/mount.h"
#include "model/namespace.h"
#include "model/pin.h"
#include "model/pin_source.h"
#include "model/scan_note.h"
#include "model/superblock.h"
#include "model/task.h"

namespace detach {

// A loop device and the file it is backed by.
struct LoopDevice {
  std::string name;          // "loop0"
  DeviceNumber dev;          // 7:0
  std::string backing_file;  // sysfs backing_file; relative when the fs it lives on is detached
  DeviceNumber backing_dev;  // LOOP_GET_STATUS64 lo_device (superblock of the backing file)
  std::uint64_t backing_inode = 0;
  bool autoclear = false;
  // Its backing file's filesystem did not answer (LOOP_GET_STATUS64 timed out, or did lately and was not
  // asked again): backing_dev and backing_inode are unknown.
  bool unresponsive = false;
};

// An active swap area, from /proc/swaps.
struct SwapArea {
  std::string path;       // as the kernel prints it (relative when its fs is detached)
  bool is_file = false;   // "file" rather than "partition"
  DeviceNumber dev;       // partition: its device; file: st_dev of the file when it could be resolved
  bool resolved = false;  // file: dev is known
  // file: its filesystem did not answer the stat (it timed out, or did lately and was not asked again)
  bool unresponsive = false;
};

// A block device from sysfs, with what stacks on it.
struct BlockDevice {
  std::string name;  // "loop0", "loop0p1", "dm-0"
  DeviceNumber dev;
  std::vector<std::string> holders;  // /sys/class/block/NAME/holders/*
  std::vector<std::string> partitions;
  std::string parent;    // whole disk of a partition
  std::string dm_name;   // device-mapper name (dm/name), when any
  std::string dm_uuid;   // device-mapper uuid (dm/uuid): "CRYPT-LUKS2-...", "LVM-...", "mpath-..."
  std::string md_level;  // md level, when any
  // Size in 512-byte sectors (sysfs size); nullopt when sysfs did not say. 0: an unbound loop device, an
  // unset zram, a drive without a medium: nothing to put a filesystem on.
  std::optional<std::uint64_t> size_sectors;
  // The devices a tool asked about: the filesystem type written on it (libblkid: "ext4", "vfat"; "" when none
  // is), nullopt when it was not read or could not be.
  std::optional<std::string> fs_signature;
};

// A filesystem whose superblock the kernel shows alive in sysfs (/sys/fs/ext4/loop3, /sys/fs/xfs/sda1,
// /sys/fs/btrfs/UUID/devices/NAME), mounted or not: after every mount of it is gone, this is what says it
// still lives (and why its device is still claimed).
struct LiveFilesystem {
  std::string fstype;  // the sysfs directory it is listed under: "ext4" (also ext2 and ext3), "xfs", "btrfs"
  std::string device;  // block device name: "loop3"
  DeviceNumber dev;    // its device number
};

// The sysfs directories (/sys/fs/NAME) whose entries are named after block devices, one per live superblock.
// btrfs lists its superblocks by UUID, with their devices below.
inline constexpr const char* kLiveFsDirsByDevice[] = {"ext4", "xfs", "f2fs", "erofs", "gfs2", "nilfs2"};

// The sysfs directory a filesystem of type FSTYPE is listed under while alive: ext2 and ext3 are mounted by
// the ext4 driver, so under "ext4"; any other type under its own name.
std::string sysfs_fs_dir(const std::string& fstype);

// Whether a filesystem of type FSTYPE (as blkid names it) would be listed in sysfs while alive: if it is not
// listed, no filesystem of that type lives on the device.
bool sysfs_lists_live(const std::string& fstype);

// A process whose /proc entries the scan was refused (EACCES, EPERM): its pins may be missing.
struct DeniedProcess {
  pid_t pid = 0;
  std::string command;  // /proc/PID/comm, which stays readable; empty when it was refused too
};

// What the scan could not see: counted, and told to the user when it could change the answer.
struct ScanGaps {
  unsigned denied = 0;                          // EACCES/EPERM on a /proc entry
  std::vector<DeniedProcess> denied_processes;  // the processes those entries belong to, in pid order
  unsigned vanished = 0;                        // ENOENT/ESRCH: the task exited during the scan
  unsigned namespaces_unlisted = 0;             // namespaces whose mounts could not be listed
  // false: the walk over every mount namespace was refused (it needs CAP_SYS_ADMIN), so a mount that no
  // listed namespace shows may be attached in one this user cannot list: not proof of a detach.
  bool namespaces_complete = true;
  // The walk was refused because the scan runs in a PID namespace other than the initial one (a container's):
  // the kernel walks every mount namespace only for the initial one (6.18, may_see_all_namespaces). What can
  // be listed then are the namespaces of the processes this PID namespace shows; those of processes outside
  // it are unseen, root or not.
  bool in_child_pid_namespace = false;
  // The scan ran without root's view (not euid 0): what it could not read, root could.
  bool unprivileged = false;
  std::vector<ScanNote> notes;  // what else it could not read (explain/scan_notes.h says it)
};

class Snapshot {
 public:
  IdKind id_kind = IdKind::Old;
  std::map<MountKey, Mount> mounts;  // attached and detached
  std::vector<Namespace> namespaces;
  std::vector<Pin> pins;                // task and kernel pins
  std::map<pid_t, Task> tasks;          // every task that holds at least one pin
  std::vector<Superblock> superblocks;  // derived by build_superblocks()
  std::vector<LoopDevice> loops;
  std::vector<SwapArea> swaps;
  std::vector<BlockDevice> block_devices;
  std::vector<LiveFilesystem> live_filesystems;
  // Devices filesystems claim besides the one their mounts name (xfs log and realtime devices, ext4's
  // external journal, btrfs's further devices), as the kernel states them.
  std::vector<ClaimedDevice> claimed_devices;
  ScanGaps gaps;
  // The mount namespace of the process that took the snapshot (0: unknown): the one whose paths a user of the
  // tool types, so a mount in any other namespace is named with its namespace.
  std::uint64_t own_ns_inode = 0;
  PinSource pin_source;  // BPF iterators or /proc, and why

  const Mount* mount(MountKey key) const;
  const Task* task(pid_t pid) const;
  const Superblock* superblock(DeviceNumber dev) const;
  const BlockDevice* block_device(DeviceNumber dev) const;
  const BlockDevice* block_device(const std::string& name) const;
  // What filesystems claim DEV as a device of theirs besides their source (claimed_devices).
  std::vector<const ClaimedDevice*> claims_on(DeviceNumber dev) const;
  // The devices the filesystem FS_DEV claims besides its source, in claimed_devices' order.
  std::vector<const ClaimedDevice*> claims_of(DeviceNumber fs_dev) const;
  // The claim by which mount M's filesystem holds DEV besides its source (its log, journal, another btrfs
  // device), or nullptr.
  const ClaimedDevice* claim_by(const Mount& m, DeviceNumber dev) const;
  // Does mount M's filesystem sit on block device DEV: as its source (Mount::on_device: its device number, or
  // the device its source names, btrfs) or as a device it claims besides (claim_by). The one answer
  // mkfs-guard, fuser, findmnt --detached and umount give to "is M on /dev/sdb?".
  bool on_device(const Mount& m, DeviceNumber dev) const { return m.on_device(dev) || claim_by(m, dev); }
  // Mounts no namespace lists, the walk over namespaces being complete: lazily detached and still alive.
  std::vector<const Mount*> detached_mounts() const;
  // Mounts pinned by a task that no namespace we could list shows, when the walk was not complete: attached
  // in a namespace this user cannot list, or detached; only root can tell.
  std::vector<const Mount*> unverified_mounts() const;
  std::vector<const Pin*> pins_of(MountKey key) const;
  std::vector<const Pin*> pins_of(const Superblock& sb) const;
  // Pins by their indexes in `pins` (as reasons and superblocks keep them).
  std::vector<const Pin*> pins_at(const std::vector<std::size_t>& indexes) const;
  // Pins tied to DEV by its number only (a loop device's or swap file's backing file on it, a socket bound
  // to a path in it): the kernel does not say which of the superblock's mounts they hold. Indexes into
  // `pins`.
  std::vector<std::size_t> device_only_pins(DeviceNumber dev) const;
  // Those of them that keep mount M alive. Detached M: all of them when no attached mount shares M's
  // superblock (then they can only hold a detached one), none otherwise (they may hold the attached one).
  // Attached M: those held by a process (a socket bound to a path in it) when M is the only mount of its
  // superblock; none otherwise. The one rule for every tool that says what pins a mount.
  std::vector<std::size_t> device_only_pins_of(const Mount& m) const;
  // Everything that keeps mount M alive: the pins on it and device_only_pins_of(M). Indexes into `pins`.
  std::vector<std::size_t> pins_keeping(const Mount& m) const;
  // Pins the scan could not place on any filesystem (Pin::placed): what MAY hold a filesystem nothing else
  // explains. Indexes into `pins`.
  std::vector<std::size_t> unplaced_pins() const;
  // What MAY keep detached mount M alive: the unplaced pins, when nothing placed keeps it (pins_keeping is
  // empty); none otherwise, or when M is attached. The one rule for every tool that says "may".
  std::vector<std::size_t> suspects_keeping(const Mount& m) const;
  // The live filesystem on block device DEV, if sysfs lists one.
  const LiveFilesystem* live_filesystem(DeviceNumber dev) const;

  // Groups mounts and pins by device number into superblocks; the scan calls it last.
  void build_superblocks();

 private:
  std::map<DeviceNumber, std::size_t> superblock_index_;  // device -> index into superblocks
};

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// One mount, as listed by a namespace (attached) or found through a pin (detached).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace detach {

// Which id family a snapshot keys its mounts on. listmount()/statx(STATX_MNT_ID_UNIQUE) give 64-bit ids that
// are never reused; older kernels only give the 31-bit ids of mountinfo and fdinfo, which are reused once
// freed.
enum class IdKind { Unique, Old };

// The key a Snapshot uses for a mount: the unique id when the kernel has them, else the old id.
using MountKey = std::uint64_t;

// Keys with this bit set name a detached mount known only through a kernel pin (a loop device's or swap
// file's backing file) or through sysfs (a filesystem alive with no mount anyone sees): the kernel gives no
// id for it, so it is keyed by its device. Mount ids never reach this bit. Mount::kernel_held() tells.
inline constexpr MountKey kKernelHeldKeyBit = MountKey{1} << 63;

struct DeviceNumber {
  unsigned major = 0;
  unsigned minor = 0;
  friend bool operator==(const DeviceNumber&, const DeviceNumber&) = default;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  friend auto operator<=>(const DeviceNumber&, const DeviceNumber&) = default;
  bool anonymous() const { return major == 0; }
  dev_t to_dev() const;
  static DeviceNumber from_dev(dev_t dev);
  std::string str() const;  // "7:0"
};

// Why a detached mount's filesystem or device could not be asked what it is.
enum class ProbeFailure {
  None,
  DeviceTimedOut,  // its device did not answer in time
  FsTimedOut,      // its filesystem did not answer in time
  Error,           // the probe failed: Mount::unprobed_error says how
};

struct Mount {
  MountKey key = 0;
  std::uint64_t unique_id = 0;  // 0 when the kernel has none
  std::uint32_t old_id = 0;     // 0 when unknown (a detached mount seen only through statx unique ids)
  MountKey parent = 0;          // key of the parent; equal to key for a namespace root
  DeviceNumber dev;             // superblock device (mountinfo MAJ:MIN)
  std::string root;             // root of the mount inside the fs
  std::string target;  // mount point; for a detached mount, the former one when journaled, else empty
  std::string fstype;
  std::string source;
  // The block device SOURCE names, when the scan resolved it: for a filesystem whose device number is
  // anonymous (btrfs: its superblock's, and each subvolume's, are of major 0) the only tie to its device.
  // 0:0 when SOURCE names no block device or was not looked up (dev is the device then).
  DeviceNumber source_dev;
  std::string vfs_options;               // per-mount options (rw,nosuid,...)
  std::string fs_options;                // superblock options
  std::uint64_t ns_id = 0;               // mount namespace id (nsfs), 0 when unknown
  std::uint64_t ns_inode = 0;            // mount namespace inode, 0 when detached
  bool attached = true;                  // false: no namespace lists it (lazily detached, still pinned)
  bool unverified = false;               // not attached: but the namespace walk was incomplete (ScanGaps)
  std::optional<long long> detached_at;  // epoch seconds, from the journal
  // Detached: every option it had while attached, as the journal recorded them ("rw,relatime,lowerdir=/a,
  // upperdir=/u,workdir=/w"): what the kernel no longer says of it (an overlay's layers). Empty: not
  // recorded.
  std::string recorded_options;
  // Detached: the journal's record of it was made by a plain umount that left its filesystem alive (a
  // kernel-held mount then: an overlay's private copies of it hold it), not by a lazy detach.
  bool recorded_as_unmounted = false;
  // Detached: why its fs (or device) could not be asked what it is (None: it was, or it was not asked).
  ProbeFailure unprobed = ProbeFailure::None;
  std::string unprobed_error;  // ProbeFailure::Error: the error's message

  // Known only through a kernel pin or sysfs, by its device (kernel_held_key): it has no mount id to show.
  bool kernel_held() const { return (key & kKernelHeldKeyBit) != 0; }
  // Is D this mount's source: its device number, or the device its source names (btrfs). Whether it sits on
  // D in any way, its other devices (a log, a journal, btrfs's further devices) included, is
  // Snapshot::on_device.
  bool on_device(DeviceNumber d) const { return dev == d || (source_dev == d && d != DeviceNumber{}); }
};

// All options of a mount as libmount merges them: the per-mount options VFS, then the superblock's FS without
// their leading ro/rw ("rw,relatime" and "rw,lowerdir=/a" give "rw,relatime,lowerdir=/a").
std::string merged_mount_options(const std::string& vfs, const std::string& fs);

// The key of the detached mount known only by its device DEV.
inline MountKey kernel_held_key(DeviceNumber dev) {
  return kKernelHeldKeyBit | (static_cast<MountKey>(dev.major) << 32) | dev.minor;
}

}  // namespace detach

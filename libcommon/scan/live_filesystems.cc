// SPDX-License-Identifier: GPL-2.0-or-later
// Filesystems the kernel shows alive in sysfs, one directory per superblock named after its device
// (/sys/fs/ext4/loop3, /sys/fs/xfs/sda1; btrfs by UUID, with its devices below): mounted or not. When every
// mount of a filesystem is gone, this is what still says it lives, and so why its device is claimed.
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "kernel/fs_probe.h"
#include "kernel/procfs.h"
#include "scan/scan_state.h"

namespace detach::scan {
namespace {

void add(ScanState& state, const char* fstype, const std::string& name) {
  const BlockDevice* bd = state.snapshot.block_device(name);
  if (bd == nullptr) return;  // "features", "stats": the driver's own entries
  state.snapshot.live_filesystems.push_back(LiveFilesystem{fstype, name, bd->dev});
}

}  // namespace

void read_live_filesystems(ScanState& state) {
  const std::string root = state.options.sys_root + "/fs/";
  for (const char* fstype : kLiveFsDirsByDevice) {
    auto names = list_entries_at(AT_FDCWD, (root + fstype).c_str());
    if (!names) {
      // ENOENT: the driver is not loaded, or has no sysfs directory. Anything else may hide a filesystem.
      if (names.error().err != ENOENT)
        state.snapshot.gaps.notes.push_back(
            {ScanNoteKind::LiveFilesystemsNotListed, {root + fstype, names.error().message()}});
      continue;
    }
    for (const std::string& name : *names) add(state, fstype, name);
  }
  auto uuids = list_entries_at(AT_FDCWD, (root + "btrfs").c_str());
  if (!uuids) return;
  for (const std::string& uuid : *uuids) {
    std::string dir = root;
    dir.append("btrfs/").append(uuid).append("/devices");
    auto devices = list_entries_at(AT_FDCWD, dir.c_str());
    if (!devices) continue;
    for (const std::string& name : *devices) add(state, "btrfs", name);
  }
}

std::vector<DeviceSignature> probe_asked_devices(const ScanOptions& options,
                                                 const std::vector<BlockDevice>& devices) {
  std::vector<DeviceSignature> found;
  if (!options.live) return found;
  for (const BlockDevice& bd : devices) {
    if (std::find(options.detail_devices.begin(), options.detail_devices.end(), bd.dev) ==
        options.detail_devices.end())
      continue;
    // Reading the device waits on what backs it (a loop device over a dead FUSE file): bounded.
    auto type = probe_device_fstype(options.dev_root + "/" + bd.name, std::chrono::milliseconds(500));
    if (type)
      found.push_back(DeviceSignature{bd.dev, std::move(*type)});
    else if (type.error().err == 0)
      found.push_back(DeviceSignature{bd.dev, std::string()});  // blkid read it and found no filesystem
  }
  return found;
}

void add_device_signatures(ScanState& state, const std::vector<DeviceSignature>& signatures) {
  for (BlockDevice& bd : state.snapshot.block_devices)
    for (const DeviceSignature& s : signatures)
      if (s.dev == bd.dev) bd.fs_signature = s.fs_type;
}

}  // namespace detach::scan

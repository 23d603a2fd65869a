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
        state.snapshot.gaps.notes.push_back("live filesystems: could not list " + root + fstype + ": " +
                                            names.error().message());
      continue;
    }
    for (const std::string& name : *names) add(state, fstype, name);
  }
  auto uuids = list_entries_at(AT_FDCWD, (root + "btrfs").c_str());
  if (!uuids) return;
  for (const std::string& uuid : *uuids) {
    auto devices = list_entries_at(AT_FDCWD, (root + "btrfs/" + uuid + "/devices").c_str());
    if (!devices) continue;
    for (const std::string& name : *devices) add(state, "btrfs", name);
  }
}

void probe_asked_devices(ScanState& state) {
  if (!state.options.live) return;
  for (BlockDevice& bd : state.snapshot.block_devices) {
    if (std::find(state.options.detail_devices.begin(), state.options.detail_devices.end(), bd.dev) ==
        state.options.detail_devices.end())
      continue;
    // Reading the device waits on what backs it (a loop device over a dead FUSE file): bounded.
    auto type = probe_device_fstype(state.options.dev_root + "/" + bd.name, std::chrono::milliseconds(500));
    if (type)
      bd.fs_signature = *type;
    else if (type.error().err == 0)
      bd.fs_signature = std::string();  // blkid read it and found no filesystem
  }
}

}  // namespace detach::scan

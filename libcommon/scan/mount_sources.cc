// SPDX-License-Identifier: GPL-2.0-or-later
// What block device a mount's source names: for a filesystem whose device number is anonymous (btrfs) the
// only tie between its mounts and its device.
#include <map>

#include "kernel/block.h"
#include "scan/devices.h"
#include "scan/scan_state.h"

namespace detach::scan {

DeviceNumber device_named(const ScanState& state, const std::string& path) {
  const Snapshot& snapshot = state.snapshot;
  constexpr std::string_view kDev = "/dev/", kMapper = "/dev/mapper/";
  if (path.starts_with(kMapper)) {
    const std::string name = path.substr(kMapper.size());
    for (const BlockDevice& bd : snapshot.block_devices)
      if (!bd.dm_name.empty() && bd.dm_name == name) return bd.dev;
  } else if (path.starts_with(kDev)) {
    // sysfs spells a '/' in a name as '!' ("/dev/cciss/c0d0" is cciss!c0d0).
    std::string name = path.substr(kDev.size());
    for (char& c : name)
      if (c == '/') c = '!';
    if (const BlockDevice* bd = snapshot.block_device(name)) return bd->dev;
  }
  if (!state.options.live || path.empty() || path[0] != '/') return {};
  // A link (/dev/disk/by-id/...): stat the node, through DEV_ROOT. A stat under /dev never reaches another
  // filesystem; elsewhere resolve_block_device bounds it.
  Result<DeviceNumber> dev = path.starts_with(kDev)
                                 ? block_device_number(state.options.dev_root + path.substr(kDev.size() - 1))
                                 : resolve_block_device(path);
  return dev ? *dev : DeviceNumber{};
}

void resolve_mount_sources(ScanState& state) {
  std::map<std::string, DeviceNumber> known;  // many mounts (every namespace's copy) share a source
  for (auto& [key, m] : state.snapshot.mounts) {
    if (!m.dev.anonymous() || m.source_dev != DeviceNumber{} || !m.source.starts_with("/dev/")) continue;
    auto [it, added] = known.emplace(m.source, DeviceNumber{});
    if (added) it->second = device_named(state, m.source);
    m.source_dev = it->second;
  }
}

}  // namespace detach::scan

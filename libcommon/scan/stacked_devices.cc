// SPDX-License-Identifier: GPL-2.0-or-later
// Which mounts belong to the devices a tool asks about: the devices themselves, their partitions, and what is
// stacked on them (dm, md, and the partitions of those), as sysfs shows them, and the filesystems that claim
// any of those.
#include <algorithm>
#include <deque>

#include "scan/scan_state.h"

namespace detach::scan {
namespace {

// Holders stack (md on dm on a partition ...); a sysfs loop would go on forever, so the walk is bounded.
constexpr std::size_t kMaxStacked = 256;

std::set<DeviceNumber> stacked_devices(const Snapshot& snapshot, const std::vector<DeviceNumber>& devices) {
  std::set<DeviceNumber> out(devices.begin(), devices.end());
  std::deque<DeviceNumber> todo(devices.begin(), devices.end());
  while (!todo.empty() && out.size() < kMaxStacked) {
    const BlockDevice* bd = snapshot.block_device(todo.front());
    todo.pop_front();
    if (bd == nullptr) continue;
    for (const std::vector<std::string>* names : {&bd->partitions, &bd->holders}) {
      for (const std::string& name : *names) {
        const BlockDevice* next = snapshot.block_device(name);
        if (next != nullptr && out.insert(next->dev).second) todo.push_back(next->dev);
      }
    }
  }
  return out;
}

}  // namespace

std::set<MountKey> mounts_on_stacked_devices(const ScanState& state,
                                             const std::vector<DeviceNumber>& devices) {
  const Snapshot& snapshot = state.snapshot;
  const std::set<DeviceNumber> wanted = stacked_devices(snapshot, devices);
  std::set<MountKey> out;
  for (const auto& [key, mount] : snapshot.mounts) {
    const Mount& m = mount;  // clang before 16 cannot capture a structured binding
    // A filesystem that claims one of them (its log, journal, another btrfs device) is on it too.
    if (std::any_of(wanted.begin(), wanted.end(), [&](DeviceNumber d) { return snapshot.on_device(m, d); }))
      out.insert(key);
  }
  return out;
}

}  // namespace detach::scan

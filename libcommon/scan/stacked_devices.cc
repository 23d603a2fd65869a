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
  const std::set<DeviceNumber> wanted = stacked_devices(state.snapshot, devices);
  // A filesystem that claims one of them (its log, journal, another btrfs device) is on it too.
  std::set<DeviceNumber> claiming;
  for (const ClaimedDevice& c : state.snapshot.claimed_devices)
    if (wanted.count(c.device) && c.fs_dev != DeviceNumber{}) claiming.insert(c.fs_dev);
  std::set<MountKey> out;
  for (const auto& [key, m] : state.snapshot.mounts) {
    const bool on = claiming.count(m.dev) > 0 || std::any_of(wanted.begin(), wanted.end(),
                                                             [&m](DeviceNumber d) { return m.on_device(d); });
    if (on) out.insert(key);
  }
  return out;
}

}  // namespace detach::scan

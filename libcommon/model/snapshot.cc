// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/snapshot.h"

#include <algorithm>

namespace detach {

std::string sysfs_fs_dir(const std::string& fstype) {
  return fstype == "ext2" || fstype == "ext3" ? "ext4" : fstype;
}

bool sysfs_lists_live(const std::string& fstype) {
  if (fstype == "btrfs") return true;
  const std::string dir = sysfs_fs_dir(fstype);
  return std::any_of(std::begin(kLiveFsDirsByDevice), std::end(kLiveFsDirsByDevice),
                     [&](const char* name) { return dir == name; });
}

const Mount* Snapshot::mount(MountKey key) const {
  auto it = mounts.find(key);
  return it == mounts.end() ? nullptr : &it->second;
}

const Task* Snapshot::task(pid_t pid) const {
  auto it = tasks.find(pid);
  return it == tasks.end() ? nullptr : &it->second;
}

const Superblock* Snapshot::superblock(DeviceNumber dev) const {
  if (auto it = superblock_index_.find(dev);
      it != superblock_index_.end() && it->second < superblocks.size() && superblocks[it->second].dev == dev)
    return &superblocks[it->second];
  // Built by hand (tests) without build_superblocks(): look.
  for (const Superblock& sb : superblocks)
    if (sb.dev == dev) return &sb;
  return nullptr;
}

const BlockDevice* Snapshot::block_device(DeviceNumber dev) const {
  for (const BlockDevice& bd : block_devices)
    if (bd.dev == dev) return &bd;
  return nullptr;
}

const BlockDevice* Snapshot::block_device(const std::string& name) const {
  for (const BlockDevice& bd : block_devices)
    if (bd.name == name) return &bd;
  return nullptr;
}

std::vector<const ClaimedDevice*> Snapshot::claims_on(DeviceNumber dev) const {
  std::vector<const ClaimedDevice*> out;
  for (const ClaimedDevice& c : claimed_devices)
    if (c.device == dev) out.push_back(&c);
  return out;
}

std::vector<const ClaimedDevice*> Snapshot::claims_of(DeviceNumber fs_dev) const {
  std::vector<const ClaimedDevice*> out;
  for (const ClaimedDevice& c : claimed_devices)
    if (c.fs_dev == fs_dev && fs_dev != DeviceNumber{}) out.push_back(&c);
  return out;
}

const ClaimedDevice* Snapshot::claim_by(const Mount& m, DeviceNumber dev) const {
  for (const ClaimedDevice& c : claimed_devices)
    if (c.device == dev && c.fs_dev == m.dev && c.fs_dev != DeviceNumber{}) return &c;
  return nullptr;
}

std::vector<const Mount*> Snapshot::detached_mounts() const {
  std::vector<const Mount*> out;
  for (const auto& [key, m] : mounts)
    if (!m.attached && !m.unverified) out.push_back(&m);
  return out;
}

std::vector<const Mount*> Snapshot::unverified_mounts() const {
  std::vector<const Mount*> out;
  // Not a filesystem known only by its device (kernel_held): sysfs shows alive every filesystem mounted in a
  // namespace this scan cannot list (another container's), which no process it sees pins.
  for (const auto& [key, m] : mounts)
    if (m.unverified && !m.kernel_held()) out.push_back(&m);
  return out;
}

std::vector<const Pin*> Snapshot::pins_of(MountKey key) const {
  std::vector<const Pin*> out;
  for (const Pin& pin : pins)
    if (pin.mount == key) out.push_back(&pin);
  return out;
}

std::vector<const Pin*> Snapshot::pins_of(const Superblock& sb) const {
  return pins_at(sb.pins);
}

std::vector<const Pin*> Snapshot::pins_at(const std::vector<std::size_t>& indexes) const {
  std::vector<const Pin*> out;
  out.reserve(indexes.size());
  for (std::size_t index : indexes) out.push_back(&pins[index]);
  return out;
}

std::vector<std::size_t> Snapshot::device_only_pins(DeviceNumber dev) const {
  std::vector<std::size_t> out;
  const Superblock* sb = superblock(dev);
  if (sb == nullptr) return out;
  for (std::size_t index : sb->pins)
    if (pins[index].mount == 0) out.push_back(index);
  return out;
}

std::vector<std::size_t> Snapshot::device_only_pins_of(const Mount& m) const {
  const Superblock* sb = superblock(m.dev);
  if (sb == nullptr) return {};
  if (!m.attached) return sb->attached.empty() ? device_only_pins(m.dev) : std::vector<std::size_t>{};
  // The only mount of its filesystem: what holds the filesystem through a process holds it. (A loop device's
  // or swap file's backing file is a reason of its own for an attached mount.)
  if (sb->attached.size() != 1 || !sb->detached.empty()) return {};
  std::vector<std::size_t> out = device_only_pins(m.dev);
  std::erase_if(out, [this](std::size_t i) { return !is_task_pin(pins[i].kind); });
  return out;
}

std::vector<std::size_t> Snapshot::pins_keeping(const Mount& m) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < pins.size(); ++i)
    if (pins[i].mount == m.key) out.push_back(i);
  std::vector<std::size_t> device = device_only_pins_of(m);
  out.insert(out.end(), device.begin(), device.end());
  return out;
}

std::vector<std::size_t> Snapshot::unplaced_pins() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < pins.size(); ++i)
    if (!pins[i].placed()) out.push_back(i);
  return out;
}

std::vector<std::size_t> Snapshot::suspects_keeping(const Mount& m) const {
  if (m.attached || !pins_keeping(m).empty()) return {};
  return unplaced_pins();
}

const LiveFilesystem* Snapshot::live_filesystem(DeviceNumber dev) const {
  for (const LiveFilesystem& fs : live_filesystems)
    if (fs.dev == dev) return &fs;
  return nullptr;
}

void Snapshot::build_superblocks() {
  superblocks.clear();
  superblock_index_.clear();
  auto superblock_for = [this](DeviceNumber dev) -> Superblock& {
    auto [it, added] = superblock_index_.emplace(dev, superblocks.size());
    if (added) superblocks.emplace_back().dev = dev;
    return superblocks[it->second];
  };
  for (const auto& [key, m] : mounts) {
    Superblock& sb = superblock_for(m.dev);
    (m.attached ? sb.attached : sb.detached).push_back(key);
    if (sb.fstype.empty()) sb.fstype = m.fstype;
    // A block device source names the device best; a detached mount's source comes from sysfs or the journal.
    if (sb.device.empty() || (sb.device[0] != '/' && !m.source.empty() && m.source[0] == '/'))
      sb.device = m.source;
  }
  for (std::size_t i = 0; i < pins.size(); ++i) {
    const Pin& pin = pins[i];
    // Pins of another mount of the superblock are the mounts themselves, already listed above.
    const Mount* m = pin.mount ? mount(pin.mount) : nullptr;
    DeviceNumber dev = m ? m->dev : pin.dev;
    if (m == nullptr && pin.dev == DeviceNumber{}) continue;
    Superblock& sb = superblock_for(dev);
    sb.pins.push_back(i);
    if (!is_task_pin(pin.kind)) sb.kernel_pins.push_back(i);
  }
}

}  // namespace detach

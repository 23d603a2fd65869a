// SPDX-License-Identifier: GPL-2.0-or-later
// Devices a filesystem claims besides the one its mounts name, where the kernel states them: an xfs mount's
// options (logdev=, rtdev=), ext4's jbd2 thread (named after its journal's device), btrfs's sysfs directory.
#include <algorithm>
#include <map>

#include "kernel/mount_options.h"
#include "model/device_name.h"
#include "scan/scan_state.h"

namespace detach::scan {
namespace {

void add_claim(Snapshot& snapshot, ClaimedDevice claim) {
  if (claim.device == DeviceNumber{} || claim.device == claim.fs_dev) return;
  for (const ClaimedDevice& c : snapshot.claimed_devices)
    if (c.device == claim.device && c.fs_dev == claim.fs_dev && c.role == claim.role &&
        c.fs_uuid == claim.fs_uuid)
      return;  // the same filesystem, seen through another of its mounts
  if (const BlockDevice* bd = snapshot.block_device(claim.device)) claim.name = bd->name;
  snapshot.claimed_devices.push_back(std::move(claim));
}

// xfs names its log and realtime devices in its options: attached mounts' come from their namespace's table,
// a detached mount's from the record the journal made of it while it was attached.
void add_xfs_claims(ScanState& state) {
  Snapshot& snapshot = state.snapshot;
  std::vector<ClaimedDevice> found;
  for (const auto& [key, m] : snapshot.mounts) {
    if (m.fstype != "xfs") continue;
    std::string options = m.fs_options;
    std::string where = "the options of mount " + std::to_string(key);
    if (!m.attached && !m.recorded_options.empty()) {
      options = m.recorded_options;
      where = "the journal's record of mount " + std::to_string(key);
    }
    for (auto [option, role] :
         {std::pair{"logdev", ClaimRole::Log}, std::pair{"rtdev", ClaimRole::Realtime}}) {
      std::optional<std::string> path = mount_option_value(options, option);
      if (!path) continue;
      ClaimedDevice c;
      c.device = device_named(state, *path);
      c.role = role;
      c.fs_dev = m.dev;
      c.fstype = m.fstype;
      c.fs_device = m.source;
      c.stated_by = std::string(option) + "=" + *path + " in " + where;
      found.push_back(std::move(c));
    }
  }
  for (ClaimedDevice& c : found) add_claim(snapshot, std::move(c));
}

// ext4's journal thread is named after its journal's device (kernel/ext4_journal.h).
void add_ext4_claims(ScanState& state) {
  Snapshot& snapshot = state.snapshot;
  if (!state.ext4_journals) {
    std::vector<std::string> ext4;  // read_live_filesystems listed them; none when kernel pins are not asked
    for (const LiveFilesystem& live : snapshot.live_filesystems)
      if (live.fstype == "ext4") ext4.push_back(live.device);
    state.ext4_journals =
        read_ext4_external_journals(state.options.sys_root, state.options.proc_root, std::move(ext4));
    for (const std::string& what : state.ext4_journals->unread)
      snapshot.gaps.notes.push_back({ScanNoteKind::Ext4JournalsUnread, {what}});
  }
  for (const Ext4ExternalJournal& j : state.ext4_journals->external) {
    const BlockDevice* fs = snapshot.block_device(j.fs_name);
    const BlockDevice* journal = snapshot.block_device(j.journal_name);
    if (fs == nullptr || journal == nullptr) continue;
    ClaimedDevice c;
    c.device = journal->dev;
    c.role = ClaimRole::Journal;
    c.fs_dev = fs->dev;
    c.fstype = "ext4";
    c.fs_device = device_node_path(j.fs_name);
    // ext2, ext3 and ext4 all run on the ext4 driver: a mount of it says which.
    for (const auto& [key, m] : snapshot.mounts) {
      if (m.dev != fs->dev) continue;
      if (!m.fstype.empty()) c.fstype = m.fstype;
      if (m.source.starts_with("/")) c.fs_device = m.source;
      break;
    }
    c.stated_by = state.options.sys_root + "/fs/ext4/" + j.fs_name +
                  "/journal_task (its jbd2 thread is jbd2/" + j.journal_name + ")";
    add_claim(snapshot, std::move(c));
  }
}

// The mounts of one btrfs filesystem, and what they all get: the device number and source of an attached
// one (the superblock's, as the mount table shows it), else of the first detached one.
struct BtrfsMounts {
  std::vector<Mount*> mounts;
  const Mount* model = nullptr;
};

// Which btrfs filesystem (index into FILESYSTEMS) has the device a mount's source names.
std::optional<std::size_t> btrfs_of(const Snapshot& snapshot, const std::vector<BtrfsFilesystem>& filesystems,
                                    DeviceNumber source_dev) {
  const BlockDevice* bd = snapshot.block_device(source_dev);
  if (bd == nullptr) return std::nullopt;
  for (std::size_t i = 0; i < filesystems.size(); ++i) {
    const std::vector<std::string>& devices = filesystems[i].devices;
    if (std::find(devices.begin(), devices.end(), bd->name) != devices.end()) return i;
  }
  return std::nullopt;
}

// A detached btrfs mount shows the device number of what its pin is in (its subvolume's), and the source of
// whichever device sysfs listed first: it gets those of the filesystem's other mounts, so that every tool
// that groups or matches by device number sees one filesystem. The kernel pins that were tied to it by its
// old number (a loop device's backing file in it) follow it.
void tie_btrfs_mounts(Snapshot& snapshot, BtrfsMounts& group) {
  for (Mount* m : group.mounts) {
    if (group.model == nullptr || (m->attached && !group.model->attached)) group.model = m;
  }
  const Mount& model = *group.model;
  for (Mount* m : group.mounts) {
    if (m->attached || m == &model) continue;
    if (m->dev != model.dev) {
      for (Pin& pin : snapshot.pins)
        if (pin.mount == 0 && !is_task_pin(pin.kind) && pin.dev == m->dev) pin.dev = model.dev;
    }
    m->dev = model.dev;
    m->source = model.source;
    m->source_dev = model.source_dev;
  }
}

void add_btrfs_claims(ScanState& state) {
  Snapshot& snapshot = state.snapshot;
  if (!state.btrfs) {
    state.btrfs = read_btrfs_filesystems(state.options.sys_root);
    for (const std::string& what : state.btrfs->unread)
      snapshot.gaps.notes.push_back({ScanNoteKind::BtrfsDevicesUnread, {what}});
  }
  const std::vector<BtrfsFilesystem>& filesystems = state.btrfs->filesystems;
  std::map<std::size_t, BtrfsMounts> groups;
  for (auto& [key, m] : snapshot.mounts) {
    if (m.fstype != "btrfs" || m.source_dev == DeviceNumber{}) continue;
    if (std::optional<std::size_t> fs = btrfs_of(snapshot, filesystems, m.source_dev))
      groups[*fs].mounts.push_back(&m);
  }
  for (std::size_t i = 0; i < filesystems.size(); ++i) {
    const BtrfsFilesystem& fs = filesystems[i];
    auto group = groups.find(i);
    const Mount* model = nullptr;
    if (group != groups.end()) {
      tie_btrfs_mounts(snapshot, group->second);
      model = group->second.model;
    }
    const BlockDevice* named = model ? snapshot.block_device(model->source_dev) : nullptr;
    for (const std::string& device : fs.devices) {
      const BlockDevice* bd = snapshot.block_device(device);
      if (bd == nullptr || bd == named) continue;  // the device its mounts name is theirs already
      ClaimedDevice c;
      c.device = bd->dev;
      c.role = ClaimRole::Member;
      c.fstype = "btrfs";
      c.fs_uuid = fs.fsid;
      if (model != nullptr) {
        c.fs_dev = model->dev;
        c.fs_device = model->source;
      }
      c.stated_by = state.options.sys_root + "/fs/btrfs/" + fs.fsid + "/devices/" + device;
      add_claim(snapshot, std::move(c));
    }
  }
}

}  // namespace

void find_claimed_devices(ScanState& state) {
  state.snapshot.claimed_devices.clear();
  resolve_mount_sources(state);
  add_btrfs_claims(state);
  add_xfs_claims(state);
  add_ext4_claims(state);
}

}  // namespace detach::scan

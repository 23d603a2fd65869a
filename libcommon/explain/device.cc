// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/device.h"

#include <algorithm>
#include <optional>
#include <set>

#include "explain/namespace_owner.h"
#include "explain/scan_notes.h"
#include "model/device_name.h"

namespace detach {
namespace {

// Holders stack (md on dm on a partition ...); a sysfs loop would recurse forever, so the depth is bounded.
constexpr int kMaxDepth = 8;

std::string node_path(const std::string& sysfs_name) {
  return device_node_path(sysfs_name);
}

// The loop major: a loop device that sysfs does not list as bound has no backing file.
constexpr unsigned kLoopMajor = 7;

// What one question is about: a device and every filesystem on it.
struct Target {
  std::string device;
  DeviceNumber dev;
  std::set<DeviceNumber> fs_devs;  // st_dev of its superblocks: DEV, and btrfs's anonymous numbers
  std::vector<const Mount*> mounts;
};

bool mount_on(const Snapshot& snapshot, const Mount& m, const Target& t) {
  if (m.on_device(t.dev) || (!m.source.empty() && m.source == t.device)) return true;
  // A detached mount's source may be unknown; its superblock may still name the device (from sysfs).
  const Superblock* sb = snapshot.superblock(m.dev);
  return sb != nullptr && sb->device == t.device;
}

Target make_target(const Snapshot& snapshot, const std::string& device, DeviceNumber dev) {
  Target t{device, dev, {dev}, {}};
  for (const auto& [key, m] : snapshot.mounts) {
    if (!mount_on(snapshot, m, t)) continue;
    t.mounts.push_back(&m);
    t.fs_devs.insert(m.dev);
  }
  return t;
}

// The filesystem that claims a device besides its source: every mount of it (by its device number).
Target claiming_filesystem(const Snapshot& snapshot, const ClaimedDevice& claim) {
  Target t{claim.fs_device, claim.fs_dev, {}, {}};
  if (claim.fs_dev == DeviceNumber{}) return t;  // no mount of it is known (a btrfs named by its fsid)
  t.fs_devs.insert(claim.fs_dev);
  for (const auto& [key, m] : snapshot.mounts)
    if (m.dev == claim.fs_dev) t.mounts.push_back(&m);
  return t;
}

// A mount in another namespace is only actionable with who is in that namespace, or what keeps it alive.
// Its owner is the unit of its first described task (by pid: a container's init, a service's main process).
void add_namespace(const Snapshot& snapshot, Reason& r) {
  NamespaceOwner owner = namespace_owner(snapshot, r.ns_inode);
  r.ns_tasks = std::move(owner.tasks);
  r.ns_kept_alive_by = std::move(owner.kept_alive_by);
  if (!owner.units.empty()) r.ns_unit = owner.units.front();
}

// Whether a file the scan could not place may be on a filesystem of device DEV: yes when sysfs shows one
// alive there, or when what is written on it is unknown or of a type sysfs does not list; no when nothing is
// written on it, or a type sysfs would list alive and does not.
bool unplaced_could_hold(const Snapshot& snapshot, DeviceNumber dev) {
  if (snapshot.live_filesystem(dev) != nullptr) return true;
  const BlockDevice* bd = snapshot.block_device(dev);
  if (bd == nullptr || !bd->fs_signature) return true;
  return !bd->fs_signature->empty() && !sysfs_lists_live(*bd->fs_signature);
}

void add_mount_reasons(const Snapshot& snapshot, const Target& t, const ExplainOptions& options,
                       std::vector<Reason>& out) {
  // Attached mounts first: they are what a user expects to see, and can act on with umount.
  for (bool attached : {true, false}) {
    for (const Mount* m : t.mounts) {
      if (m->attached != attached) continue;
      Reason r;
      r.kind = attached ? ReasonKind::Mounted : ReasonKind::DetachedPinned;
      r.mount = m->key;
      r.fstype = m->fstype;
      r.target = m->target;
      r.ns_inode = m->ns_inode;
      r.other_namespace = attached && options.own_ns_inode != 0 && m->ns_inode != options.own_ns_inode;
      // On a detached mount, kernel pins tied only to the device keep it alive as much as its own pins do:
      // "pinned by: loop /dev/loop2". (Loop and swap pins never name an attached mount: they get reasons of
      // their own.)
      r.pins = snapshot.pins_keeping(*m);
      r.suspects = snapshot.suspects_keeping(*m);
      if (r.other_namespace) add_namespace(snapshot, r);
      out.push_back(std::move(r));
    }
  }
}

bool on_target_fs(const Snapshot& snapshot, const Pin& pin, const Target& t) {
  const Mount* m = pin.mount ? snapshot.mount(pin.mount) : nullptr;
  if (m != nullptr) return std::find(t.mounts.begin(), t.mounts.end(), m) != t.mounts.end();
  return pin.dev != DeviceNumber{} && t.fs_devs.count(pin.dev) > 0;
}

void add_swap_reasons(const Snapshot& snapshot, const Target& t, std::vector<Reason>& out) {
  std::set<std::string> files;
  for (const SwapArea& area : snapshot.swaps) {
    if (!area.is_file && ((area.resolved && area.dev == t.dev) || area.path == t.device)) {
      Reason r;
      r.kind = ReasonKind::SwapPartition;
      r.file = area.path;
      out.push_back(std::move(r));
    } else if (area.is_file && area.resolved && t.fs_devs.count(area.dev) && files.insert(area.path).second) {
      Reason r;
      r.kind = ReasonKind::SwapFileOnFs;
      r.file = area.path;
      out.push_back(std::move(r));
    }
  }
  // The scan may also have recorded swap files as kernel pins (e.g. a relative path it matched by mount id).
  for (const Pin& pin : snapshot.pins) {
    if (pin.kind != PinKind::SwapFile || !on_target_fs(snapshot, pin, t)) continue;
    std::string path = pin.holder.empty() ? pin.path : pin.holder;
    if (!files.insert(path).second) continue;
    Reason r;
    r.kind = ReasonKind::SwapFileOnFs;
    r.file = path;
    out.push_back(std::move(r));
  }
}

void add_loop_reasons(const Snapshot& snapshot, const Target& t, std::vector<Reason>& out) {
  std::set<std::string> loops;
  auto add = [&](const std::string& loop, const std::string& file, bool backing_device) {
    if (!loops.insert(loop).second) return;
    Reason r;
    r.kind = ReasonKind::LoopBackingFile;
    r.loop = loop;
    r.file = file;
    r.backing_device = backing_device;
    out.push_back(std::move(r));
  };
  for (const LoopDevice& loop : snapshot.loops) {
    // A loop device over the device itself claims nothing (6.18), yet mkfs would rewrite what it shows.
    if (loop.backing_file == t.device) add(node_path(loop.name), loop.backing_file, true);
    // 0:0 means LOOP_GET_STATUS64 was not asked (fixtures, no live scan): no match then.
    if (loop.backing_dev != DeviceNumber{} && t.fs_devs.count(loop.backing_dev))
      add(node_path(loop.name), loop.backing_file, false);
  }
  for (const Pin& pin : snapshot.pins)
    if (pin.kind == PinKind::LoopBacking && on_target_fs(snapshot, pin, t)) add(pin.holder, pin.path, false);
}

// A filesystem holds the device as its log, realtime or journal device, or as one of its btrfs devices: name
// it, with what keeps it alive (its mounts, attached and lazily detached, swap files and loop devices on it).
void add_claim_reasons(const Snapshot& snapshot, const Target& t, const ExplainOptions& options,
                       std::vector<Reason>& out) {
  for (const ClaimedDevice* claim : snapshot.claims_on(t.dev)) {
    // The filesystem is on this device as its source already (said as "mounted at"): no second reason.
    if (claim->fs_dev != DeviceNumber{} && t.fs_devs.count(claim->fs_dev)) continue;
    Reason r;
    r.kind = ReasonKind::FilesystemDevice;
    r.role = claim->role;
    r.fstype = claim->fstype;
    r.filesystem = claim->fs_device;
    r.fs_uuid = claim->fs_uuid;
    const Target fs = claiming_filesystem(snapshot, *claim);
    add_mount_reasons(snapshot, fs, options, r.nested);
    add_swap_reasons(snapshot, fs, r.nested);
    add_loop_reasons(snapshot, fs, r.nested);
    // A loop device over the filesystem's own device is about that device, not about this one.
    std::erase_if(r.nested, [](const Reason& n) { return n.backing_device; });
    out.push_back(std::move(r));
  }
}

// Writers first: they are the reason; readers are a note. An access mode the scan could not read counts as
// writing (better a word too many than a VM's disk overwritten).
void add_open_reasons(const Snapshot& snapshot, const Target& t, const ExplainOptions& options,
                      std::vector<Reason>& out) {
  Reason writers, readers;
  writers.kind = ReasonKind::OpenForWriting;
  readers.kind = ReasonKind::OpenedBy;
  for (std::size_t i = 0; i < snapshot.pins.size(); ++i) {
    const Pin& pin = snapshot.pins[i];
    if (pin.rdev != t.dev || t.dev.anonymous() || (options.own_pid != 0 && pin.pid == options.own_pid))
      continue;
    (pin.access == Access::Read ? readers : writers).pins.push_back(i);
  }
  if (!writers.pins.empty()) out.push_back(std::move(writers));
  if (!readers.pins.empty()) out.push_back(std::move(readers));
}

// What a device-mapper uuid says the device is (dm's naming: "CRYPT-LUKS2-<uuid>-<name>", "LVM-<vg><lv>",
// "mpath-<wwid>", "part1-mpath-..."); md arrays have a level.
std::string holder_type(const BlockDevice& holder) {
  const std::string& uuid = holder.dm_uuid;
  if (uuid.starts_with("CRYPT-LUKS")) return "luks";
  if (uuid.starts_with("CRYPT-")) return "dm-crypt";
  if (uuid.starts_with("LVM-")) return "lvm";
  if (uuid.starts_with("mpath-") || (uuid.starts_with("part") && uuid.find("-mpath-") != std::string::npos))
    return "multipath";
  if (!holder.dm_name.empty() || !uuid.empty()) return "device-mapper";
  if (!holder.md_level.empty()) return "md";
  return "";
}

std::vector<Reason> collect(const Snapshot& snapshot, const std::string& device, DeviceNumber dev,
                            const ExplainOptions& options, int depth);

void add_stacked_reasons(const Snapshot& snapshot, const Target& t, const ExplainOptions& options, int depth,
                         std::vector<Reason>& out) {
  const BlockDevice* bd = snapshot.block_device(t.dev);
  if (bd == nullptr || depth >= kMaxDepth) return;
  for (const std::string& name : bd->holders) {
    Reason r;
    r.kind = ReasonKind::Holder;
    r.holder = name;
    if (const BlockDevice* holder = snapshot.block_device(name)) {
      r.dm_name = holder->dm_name;
      r.md_level = holder->md_level;
      r.holder_type = holder_type(*holder);
      r.nested = collect(snapshot, node_path(name), holder->dev, options, depth + 1);
    }
    out.push_back(std::move(r));
  }
  for (const std::string& name : bd->partitions) {
    const BlockDevice* part = snapshot.block_device(name);
    if (part == nullptr) continue;
    std::vector<Reason> nested = collect(snapshot, node_path(name), part->dev, options, depth + 1);
    if (!holds_device(nested, options.writers_block)) continue;  // a reader of a partition holds nothing
    Reason r;
    r.kind = ReasonKind::PartitionBusy;
    r.partition = node_path(name);
    r.nested = std::move(nested);
    out.push_back(std::move(r));
  }
}

std::vector<Reason> collect(const Snapshot& snapshot, const std::string& device, DeviceNumber dev,
                            const ExplainOptions& options, int depth) {
  Target t = make_target(snapshot, device, dev);
  std::vector<Reason> out;
  add_mount_reasons(snapshot, t, options, out);
  add_claim_reasons(snapshot, t, options, out);
  add_swap_reasons(snapshot, t, out);
  add_loop_reasons(snapshot, t, out);
  add_stacked_reasons(snapshot, t, options, depth, out);
  add_open_reasons(snapshot, t, options, out);
  return out;
}

}  // namespace

std::vector<std::string> unseen_text(const Snapshot& snapshot, const Words& words) {
  std::vector<std::string> out;
  const ScanGaps& gaps = snapshot.gaps;
  if (gaps.denied)
    out.push_back(words.trnf("{0} /proc entry could not be read (permission denied)",
                             "{0} /proc entries could not be read (permission denied)", gaps.denied,
                             gaps.denied));
  if (gaps.vanished)
    out.push_back(words.trnf("{0} process exited during the scan", "{0} processes exited during the scan",
                             gaps.vanished, gaps.vanished));
  if (gaps.namespaces_unlisted)
    out.push_back(words.trnf("{0} mount namespace could not be listed",
                             "{0} mount namespaces could not be listed", gaps.namespaces_unlisted,
                             gaps.namespaces_unlisted));
  for (const LoopDevice& loop : snapshot.loops)
    if (loop.backing_dev == DeviceNumber{})
      // TRANSLATORS: {0} is a loop device's backing file, {1} the loop device.
      out.push_back(words.trf("the filesystem of {0}, backing {1}, is unknown", loop.backing_file,
                              node_path(loop.name)));
  for (const ScanNote& note : gaps.notes) out.push_back(scan_note_text(snapshot, note, words));
  return out;
}

namespace {

Reason unknown_reason(const Snapshot& snapshot) {
  Reason r;
  r.kind = ReasonKind::Unknown;
  r.unseen = unseen_text(snapshot, Words::program());
  return r;
}

// A claim nothing seen explains. Processes with the device open are the likely holders (an exclusive open,
// as mkfs makes: /proc does not say which open is the exclusive one), and they replace the plain "open"
// reasons, which would contradict it; otherwise what the scan could not see. Either way, files the scan could
// not place are suspects when they could be on the device's filesystem.
Reason unexplained_claim(const Snapshot& snapshot, DeviceNumber dev, std::vector<Reason>& reasons) {
  Reason r;
  for (auto it = reasons.begin(); it != reasons.end();) {
    if (it->kind != ReasonKind::OpenForWriting && it->kind != ReasonKind::OpenedBy) {
      ++it;
      continue;
    }
    r.pins.insert(r.pins.end(), it->pins.begin(), it->pins.end());
    it = reasons.erase(it);
  }
  if (!r.pins.empty()) {
    std::sort(r.pins.begin(), r.pins.end());
    r.kind = ReasonKind::ExclusiveOpener;
    r.certain = false;
  } else {
    r = unknown_reason(snapshot);
  }
  if (unplaced_could_hold(snapshot, dev)) r.suspects = snapshot.unplaced_pins();
  return r;
}

// Does this one reason hold the device? Readers and notes on what the device is do not.
bool holds(const Reason& r, bool writers_block) {
  switch (r.kind) {
    case ReasonKind::OpenedBy:
    case ReasonKind::UnboundLoop:
    case ReasonKind::ZeroSize:
      return false;
    case ReasonKind::OpenForWriting:
      return writers_block;
    default:
      return true;
  }
}

// An unbound loop device, or any device of size 0, has nothing to put a filesystem on: mkfs would fail with
// "Device size reported to be zero". (A bound loop device over an empty file is size 0 too, not unbound.)
std::optional<Reason> empty_device_reason(const Snapshot& snapshot, DeviceNumber dev) {
  const BlockDevice* bd = snapshot.block_device(dev);
  if (bd == nullptr || !bd->size_sectors || *bd->size_sectors != 0) return std::nullopt;
  auto loop = std::find_if(snapshot.loops.begin(), snapshot.loops.end(),
                           [dev](const LoopDevice& l) { return l.dev == dev; });
  Reason r;
  r.kind = dev.major == kLoopMajor && loop == snapshot.loops.end() ? ReasonKind::UnboundLoop
                                                                   : ReasonKind::ZeroSize;
  if (loop != snapshot.loops.end()) r.file = loop->backing_file;  // bound over an empty file
  return r;
}

}  // namespace

bool holds_device(const std::vector<Reason>& reasons, bool writers_block) {
  return std::any_of(reasons.begin(), reasons.end(),
                     [writers_block](const Reason& r) { return holds(r, writers_block); });
}

bool held_only_by_detached_mounts(const std::vector<Reason>& reasons) {
  bool any = false;
  for (const Reason& r : reasons) {
    if (!holds(r, true)) continue;
    const bool nests = r.kind == ReasonKind::PartitionBusy || r.kind == ReasonKind::FilesystemDevice;
    if (nests ? !held_only_by_detached_mounts(r.nested) : r.kind != ReasonKind::DetachedPinned) return false;
    any = true;
  }
  return any;
}

const char* reason_kind_name(ReasonKind kind) {
  switch (kind) {
    case ReasonKind::Mounted:
      return "mounted";
    case ReasonKind::DetachedPinned:
      return "detached-mount";
    case ReasonKind::SwapPartition:
      return "swap-partition";
    case ReasonKind::SwapFileOnFs:
      return "swap-file";
    case ReasonKind::LoopBackingFile:
      return "loop-backing";
    case ReasonKind::Holder:
      return "holder";
    case ReasonKind::FilesystemDevice:
      return "filesystem-device";
    case ReasonKind::PartitionBusy:
      return "partition";
    case ReasonKind::OpenForWriting:
      return "open-for-writing";
    case ReasonKind::OpenedBy:
      return "opened-by";
    case ReasonKind::ExclusiveOpener:
      return "exclusive-opener";
    case ReasonKind::UnboundLoop:
      return "unbound-loop";
    case ReasonKind::ZeroSize:
      return "zero-size";
    case ReasonKind::Unknown:
      break;
  }
  return "unknown";
}

const char* device_status_name(DeviceStatus status) {
  switch (status) {
    case DeviceStatus::Free:
      return "free";
    case DeviceStatus::Busy:
      return "busy";
    case DeviceStatus::Unusable:
      return "unusable";
    case DeviceStatus::Unchecked:
      break;
  }
  return "unchecked";
}

DeviceReport explain_device(const Snapshot& snapshot, const std::string& device, DeviceNumber dev,
                            Claim claim, const ExplainOptions& options) {
  DeviceReport report;
  report.device = device;
  report.dev = dev;
  report.claim = claim;
  report.reasons = collect(snapshot, device, dev, options, 0);
  bool held = holds_device(report.reasons, options.writers_block);
  // A claim with nothing to show for it (a writer claims nothing).
  if (claim == Claim::Claimed && !holds_device(report.reasons, false)) {
    Reason why = unexplained_claim(snapshot, dev, report.reasons);
    report.reasons.insert(report.reasons.begin(), std::move(why));
    held = true;
  }
  std::optional<Reason> empty = empty_device_reason(snapshot, dev);
  if (empty) report.reasons.insert(report.reasons.begin(), *empty);
  if (held)
    report.status = DeviceStatus::Busy;
  else if (empty)
    report.status = DeviceStatus::Unusable;
  else if (claim == Claim::Unchecked)
    report.status = DeviceStatus::Unchecked;
  else
    report.status = DeviceStatus::Free;
  return report;
}

}  // namespace detach

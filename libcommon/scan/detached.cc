// SPDX-License-Identifier: GPL-2.0-or-later
// Detached mounts: a mount id some pin refers to that no namespace lists.
#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string_view>

#include "base/parallel.h"
#include "journal/journal.h"
#include "kernel/bounded.h"
#include "kernel/ext_superblock.h"
#include "kernel/fs_probe.h"
#include "kernel/statx.h"
#include "scan/pin_paths.h"
#include "scan/scan_state.h"

namespace detach::scan {

namespace {

// Kernel-internal mounts made after our probe (aio, dma-buf, secretmem, hugetlbfs) still give themselves away
// by their names: d_dname() paths that are not paths ("anon_inode:[x]"), or fixed names on internal shmem.
bool looks_internal(const std::string& path) {
  if (path.empty() || path[0] != '/') return true;
  for (std::string_view prefix :
       {"/memfd:", "/SYSV", "/[aio]", "/dmabuf:", "/secretmem", "/dev/zero (deleted)"})
    if (std::string_view(path).substr(0, prefix.size()) == prefix) return true;
  return false;
}

// Which pin to follow back to its mount: cwd and root are directories, exe and fds have a /proc link too;
// an mmap has none (proc_link), so it leaves the mount without its old id and probe.
int follow_rank(PinKind kind) {
  if (kind == PinKind::Cwd || kind == PinKind::Root) return 2;
  return kind == PinKind::Exe || kind == PinKind::Fd ? 1 : 0;
}

// One pin per candidate mount, the best one to follow back to it.
std::map<MountKey, const Pin*> candidates(const ScanState& state) {
  std::map<MountKey, const Pin*> out;
  std::map<MountKey, bool> any_real_path;
  for (const Pin& pin : state.snapshot.pins) {
    if (!is_proc_link_pin(pin.kind) || pin.mount == 0 || state.snapshot.mount(pin.mount)) continue;
    if (state.internal_mounts.count(pin.mount)) continue;
    if (!looks_internal(pin.path)) any_real_path[pin.mount] = true;
    const Pin*& best = out[pin.mount];
    if (best == nullptr || follow_rank(pin.kind) > follow_rank(best->kind)) best = &pin;
  }
  // A mount all of whose pins look internal is one of the kernel's own.
  for (auto it = out.begin(); it != out.end();)
    it = any_real_path.count(it->first) ? std::next(it) : out.erase(it);
  return out;
}

// A detached mount being described, and the pin to reach it through, so that mounts can be described side
// by side and joined afterwards.
struct Description {
  Mount mount;
  const Pin* pin = nullptr;  // the pin to follow back to it; null for a mount only the kernel holds
};

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds time_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

// The type and source of the filesystem: from another mount of the superblock that is still attached (no fs
// call needed), else from sysfs and the device (blkid, bounded).
void describe_device(const ScanState& state, Description& d, Clock::time_point deadline) {
  Mount& m = d.mount;
  for (const auto& [key, other] : state.snapshot.mounts) {
    if (other.attached && other.dev == m.dev && !m.dev.anonymous()) {
      m.fstype = other.fstype;
      m.source = other.source;
      m.fs_options = other.fs_options;
      return;
    }
  }
  m.source = block_device_path(state.options.sys_root, m.dev);
  if (!m.source.empty()) {
    auto type = probe_device_fstype(state.options.dev_root + m.source.substr(4), time_left(deadline));
    if (type)
      m.fstype = *type;
    else if (type.error().err == ETIMEDOUT)
      m.unprobed = ProbeFailure::DeviceTimedOut;
  } else if (is_fuse_connection(state.options.sys_root, m.dev)) {
    m.fstype = "fuse";  // fusectl names it: asking the fs itself could hang on its daemon
  }
}

// What only a call into the fs tells (bounded, in a child): the per-mount options, and the type and source of
// a filesystem neither sysfs nor another mount described.
void describe_by_probe(const ScanState& state, Description& d, Clock::time_point deadline) {
  Mount& m = d.mount;
  // A device that did not answer used up the deadline: the fs would be asked with no time left, and the
  // failure laid on it.
  if (!state.options.live || d.pin == nullptr || m.unprobed != ProbeFailure::None) return;
  const bool known = !m.fstype.empty() && !m.source.empty();
  if (!state.options.detached_options && (known || m.fstype == "fuse")) return;
  std::string link = pin_link(state.options.proc_root, *d.pin);
  if (link.empty()) return;
  auto id = probe_fs_bounded(link, state.options.sys_root, time_left(deadline));
  if (!id) {
    if (id.error().err == ETIMEDOUT) {
      m.unprobed = ProbeFailure::FsTimedOut;
    } else {
      m.unprobed = ProbeFailure::Error;
      m.unprobed_error = id.error().message();
    }
    return;
  }
  if (m.fstype.empty()) m.fstype = id->fstype;
  if (m.source.empty()) m.source = id->device;
  if (m.fs_options.empty()) m.fs_options = id->read_only ? "ro" : "rw";
  m.vfs_options = id->vfs_options;
}

// Every description runs at once, under one deadline: six mounts on a dead FUSE daemon cost one timeout, not
// six. Each description forks its own bounded children, so threads here only wait.
void describe_all(const ScanState& state, std::vector<Description>& todo) {
  constexpr std::size_t kMaxAtOnce = 16;
  run_in_parallel(todo.size(), kMaxAtOnce, [&](std::size_t i) {
    describe_device(state, todo[i], state.fs_deadline);
    describe_by_probe(state, todo[i], state.fs_deadline);
  });
}

bool wants_description(const ScanState& state, const Mount& m) {
  return !state.options.describe_detached || state.options.describe_detached(m);
}

// Describes those TODO that a tool wants described, and adds them all to the snapshot.
void add_described(ScanState& state, std::vector<Description> todo) {
  std::vector<Description> described, plain;
  for (Description& d : todo) (wants_description(state, d.mount) ? described : plain).push_back(std::move(d));
  describe_all(state, described);
  Snapshot& snapshot = state.snapshot;
  for (std::vector<Description>* list : {&described, &plain}) {
    for (Description& d : *list) {
      const Mount& m = d.mount;
      if (m.unprobed != ProbeFailure::None)
        snapshot.gaps.notes.push_back({ScanNoteKind::DetachedMountUnprobed, {std::to_string(m.key)}});
      snapshot.mounts[m.key] = std::move(d.mount);
    }
  }
}

// The detached mount KEY on the filesystem DEV; PIN, when there is one, leads to it through /proc.
Mount identify_detached(const ScanState& state, MountKey key, DeviceNumber dev, const Pin* pin) {
  Mount m;
  m.key = key;
  m.attached = false;
  // Only a complete walk over the namespaces proves that no namespace has it.
  m.unverified = !state.snapshot.gaps.namespaces_complete;
  m.dev = dev;
  if (state.snapshot.id_kind == IdKind::Unique) {
    m.unique_id = key;
    // The old id is what mountinfo showed before the detach; statx still knows it.
    if (pin != nullptr) {
      if (auto ref = mount_ref_at(AT_FDCWD, pin_link(state.options.proc_root, *pin).c_str(), false))
        m.old_id = ref->mnt_id;
    }
  } else {
    m.old_id = static_cast<std::uint32_t>(key);
  }
  return m;
}

// The mounts of files the kernel holds for a process that no /proc link shows, where the BPF source read
// them exactly (a ring's registered files): a detached mount only such a file holds is found by them, with
// no pin to probe it through.
std::map<MountKey, DeviceNumber> exact_kernel_file_mounts(const ScanState& state) {
  std::map<MountKey, DeviceNumber> out;
  if (state.exact_ring_files)
    for (const ExactRingFile& f : *state.exact_ring_files) out.emplace(f.file.mount, f.file.dev);
  return out;
}

bool has_mount_on(const Snapshot& snapshot, DeviceNumber dev) {
  for (const auto& [key, m] : snapshot.mounts)
    if (m.dev == dev) return true;
  return false;
}

// A loop device or swap file on a detached fs holds its mount through the backing file (a bound socket
// through its path), but the kernel gives no way to learn that mount's id; and a filesystem sysfs shows alive
// may have no mount anyone can see (every one gone, its holder unseen). Show each anyway, keyed by its
// device, so nothing that pins is left unsaid.
std::vector<Mount> kernel_held_mounts(const ScanState& state) {
  const Snapshot& snapshot = state.snapshot;
  std::vector<Mount> out;
  auto add = [&](DeviceNumber dev) {
    if (has_mount_on(snapshot, dev)) return;
    const MountKey key = kernel_held_key(dev);
    if (std::any_of(out.begin(), out.end(), [key](const Mount& m) { return m.key == key; })) return;
    Mount& m = out.emplace_back();
    m.key = key;
    m.attached = false;
    // Only a complete walk over the namespaces proves that no namespace has it mounted.
    m.unverified = !snapshot.gaps.namespaces_complete;
    m.dev = dev;
  };
  for (const Pin& pin : snapshot.pins)
    if (pin.mount == 0 && pin.dev != DeviceNumber{}) add(pin.dev);
  for (const LiveFilesystem& fs : snapshot.live_filesystems)
    if (fs.fstype != "btrfs") add(fs.dev);  // btrfs's superblock has an anonymous number, not its device's
  return out;
}

}  // namespace

void find_detached_mounts(ScanState& state) {
  std::vector<Description> todo;
  auto found = candidates(state);
  std::map<MountKey, DeviceNumber> held = exact_kernel_file_mounts(state);
  std::erase_if(held, [&](const auto& entry) {
    const MountKey key = entry.first;
    return key == 0 || found.count(key) || state.snapshot.mount(key) || state.internal_mounts.count(key);
  });
  if (!found.empty() || !held.empty()) {
    std::set<MountKey> listed_now = relist_mount_keys(state);
    for (const auto& [key, pin] : found) {
      if (listed_now.count(key)) continue;  // mounted while we scanned: attached, not detached
      todo.push_back(Description{identify_detached(state, key, pin->dev, pin), pin});
    }
    for (const auto& [key, dev] : held)
      if (!listed_now.count(key))
        todo.push_back(Description{identify_detached(state, key, dev, nullptr), nullptr});
  }
  add_described(state, std::move(todo));
}

void add_kernel_held_mounts(ScanState& state) {
  std::vector<Description> todo;
  for (Mount& m : kernel_held_mounts(state)) todo.push_back(Description{std::move(m), nullptr});
  add_described(state, std::move(todo));
  for (Pin& pin : state.snapshot.pins)
    if (pin.mount == 0 && pin.dev != DeviceNumber{})
      for (const auto& [key, m] : state.snapshot.mounts)
        if (m.kernel_held() && m.dev == pin.dev) pin.mount = key;
}

namespace {

// This boot's records of the journal, then the caller's own not yet journaled (the newest).
std::vector<DetachRecord> detach_records(ScanState& state) {
  const ScanOptions& options = state.options;
  Snapshot& snapshot = state.snapshot;
  std::vector<DetachRecord> out;
  if (!options.journal_dir.empty()) {
    DetachJournal journal(options.journal_dir);
    auto records = journal.read({});
    if (!records) {
      snapshot.gaps.notes.push_back({ScanNoteKind::JournalNotRead, {records.error().message()}});
    } else if (!records->empty()) {
      auto boot = current_boot_id(options.proc_root);
      if (!boot) {
        snapshot.gaps.notes.push_back({ScanNoteKind::JournalNotJoined, {boot.error().message()}});
      } else {
        std::erase_if(*records, [&](const DetachRecord& r) { return r.boot_id != *boot; });
        out = std::move(*records);
      }
    }
  }
  out.insert(out.end(), options.just_unmounted.begin(), options.just_unmounted.end());
  return out;
}

void join_record(Mount& m, const DetachRecord& r) {
  if (m.target.empty()) m.target = r.target;
  // What the kernel no longer says of a detached mount without a device (tmpfs, overlay): its source. A
  // btrfs on several devices was named by one of them (the kernel's choice), the probe took whichever sysfs
  // listed first: the record says which one its mounts named.
  if (m.source.empty() || (m.fstype == "btrfs" && r.fstype == "btrfs" && !r.source.empty()))
    m.source = r.source;
  if (m.fstype.empty()) m.fstype = r.fstype;
  if (r.ns_id != 0) m.ns_id = r.ns_id;
  if (r.detached_at != 0) m.detached_at = r.detached_at;
  m.recorded_options = r.options;
  m.recorded_as_unmounted = r.unmounted;
}

// When the filesystem alive on LIVE's device was mounted, as its superblock says (ext2/3/4 only; nullopt
// otherwise, or when it cannot be read in time).
std::optional<long long> mounted_at(const ScanState& state, const LiveFilesystem* live) {
  if (live == nullptr || live->fstype != "ext4" || !state.options.live) return std::nullopt;
  const std::string device = state.options.dev_root + "/" + live->device;
  auto at = run_bounded_value<long long>([&device] { return read_ext_mount_time(device); },
                                         std::chrono::milliseconds(500));
  if (!at) return std::nullopt;
  return *at;
}

// A filesystem alive with no mount anyone sees, on the device a record names: that record says where its
// last mount was (a lazy detach, or a plain umount the kernel outlived). The newest record of the device
// whose mount the snapshot does not have otherwise, and of the type sysfs lists it as. A record made before
// the filesystem was mounted is of an earlier filesystem on that device (loop devices are reused): never
// that one.
const DetachRecord* record_of_device(const ScanState& state, const Mount& held,
                                     const std::vector<DetachRecord>& records) {
  const Snapshot& snapshot = state.snapshot;
  const LiveFilesystem* live = snapshot.live_filesystem(held.dev);
  std::optional<std::optional<long long>> since;  // read once, when a record needs it
  const DetachRecord* best = nullptr;
  for (const DetachRecord& r : records) {
    if (r.dev != held.dev || r.target.empty()) continue;
    if (r.unique_id != 0 && snapshot.mount(r.unique_id) != nullptr) continue;
    if (live != nullptr && !r.fstype.empty() && sysfs_fs_dir(r.fstype) != live->fstype) continue;
    if (!since) since = mounted_at(state, live);
    if (*since && r.detached_at != 0 && r.detached_at < **since) continue;
    if (best == nullptr || r.detached_at >= best->detached_at) best = &r;
  }
  return best;
}

}  // namespace

void join_detach_journal(ScanState& state) {
  Snapshot& snapshot = state.snapshot;
  // Only a unique id can match a record (old ids are reused), or the device of a filesystem no mount of is
  // seen: without such a mount, leave the file alone.
  bool any = false;
  for (const auto& [key, m] : snapshot.mounts)
    any = any || (!m.attached && (m.unique_id != 0 || m.kernel_held()));
  if (!any) return;
  const std::vector<DetachRecord> records = detach_records(state);
  if (records.empty()) return;
  auto newest = newest_by_unique_id(records);
  for (auto& [key, m] : snapshot.mounts) {
    if (m.attached) continue;
    if (m.kernel_held()) {
      if (const DetachRecord* r = record_of_device(state, m, records)) {
        join_record(m, *r);
        state.recorded_ids[key] = r->unique_id;
      }
      continue;
    }
    if (m.unique_id == 0) continue;
    auto it = newest.find(m.unique_id);
    if (it == newest.end()) continue;
    join_record(m, it->second);
    // This boot's record of this very mount's detach (unique ids are never reused, and a detached mount is
    // never attached again) proves what an incomplete walk over the namespaces could not.
    m.unverified = false;
  }
}

}  // namespace detach::scan

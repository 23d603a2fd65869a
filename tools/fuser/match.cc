// SPDX-License-Identifier: GPL-2.0-or-later
#include "match.h"

#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "claims.h"
#include "detached.h"
#include "resolve.h"
#include "uses.h"

namespace fuser {
namespace {

using detach::DeviceNumber;
using detach::Mount;
using detach::MountKey;
using detach::Pin;
using detach::PinKind;

// What a -m name stands for: every mount of its filesystem, and the device numbers its kernel pins may carry.
// On btrfs, whose subvolumes have st_devs of their own, a mount of a subvolume stands for that subvolume:
// the pins through mounts of it (subvolumes nested in it included), and the pins of files of the subvolume
// through any mount of the filesystem. A btrfs device stands for the whole filesystem.
struct Filesystem {
  DeviceNumber dev;                      // the superblock's
  std::string source;                    // a /dev path: what ties a btrfs filesystem's mounts to its device
  bool block = false;                    // named by its block device
  std::string subvolume;                 // btrfs, named by a path: "subvolid=N" of the mount the name is on
  DeviceNumber name_dev;                 // btrfs, named by a path: the name's st_dev, its subvolume's
  std::set<MountKey> mounts;             // the mounts it stands for
  std::set<MountKey> all_mounts;         // every mount of the superblock
  std::set<DeviceNumber> devs;           // what its loop and swap pins' device numbers may be
  std::vector<const Mount*> own_mounts;  // our mounts of it, in our table's order

  bool holds(const Pin& pin) const {
    if (mounts.count(pin.mount) || (block && pin.rdev == dev)) return true;
    // Held by its filesystem only (a socket bound to a path in it): the kernel names no mount.
    if (pin.mount == 0 && pin.dev != DeviceNumber{} && devs.count(pin.dev)) return true;
    return !subvolume.empty() && pin.dev == name_dev && all_mounts.count(pin.mount);
  }
};

bool is_device_path(const std::string& source) {
  return source.rfind("/dev/", 0) == 0;
}

// btrfs names the subvolume a mount shows in its options ("subvolid=257"); empty for other filesystems.
std::string subvolume_of(const Mount& m) {
  if (m.fstype != "btrfs") return "";
  const std::string key = "subvolid=";
  std::size_t at = m.fs_options.find(key);
  if (at == std::string::npos) return "";
  std::size_t end = m.fs_options.find(',', at);
  return m.fs_options.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// Whether mount M of the snapshot is of the superblock of FS. A block device's own filesystems have its
// device number; one with an anonymous one (btrfs) is on it by the device its source names (on_device).
bool of_superblock(const Mount& m, const Filesystem& fs) {
  if (m.dev == fs.dev || (!fs.source.empty() && m.source == fs.source)) return true;
  return fs.block && m.on_device(fs.dev);
}

bool of_filesystem(const Mount& m, const Filesystem& fs) {
  return of_superblock(m, fs) && (fs.subvolume.empty() || subvolume_of(m) == fs.subvolume);
}

// Our mount M as the snapshot has it (which knows what device its source names), else M itself.
const Mount& as_scanned(const Mount& m, const detach::Snapshot& snap) {
  const Mount* scanned = snap.mount(snapshot_key(m, snap.id_kind));
  return scanned != nullptr ? *scanned : m;
}

// A device that no mount is on but a filesystem claims besides its source (its log or journal, another
// btrfs device) stands for that filesystem: every mount of it.
void add_claiming_filesystem(const detach::Snapshot& snap, Filesystem& fs) {
  if (!fs.block || !fs.mounts.empty()) return;
  for (const auto& [key, mount] : snap.mounts) {
    if (snap.claim_by(mount, fs.dev) == nullptr) continue;
    fs.all_mounts.insert(key);
    fs.mounts.insert(key);
    fs.devs.insert(mount.dev);
  }
}

Filesystem filesystem_of(const Query& q, const MatchContext& ctx) {
  const detach::Snapshot& snap = ctx.snapshot;
  Filesystem fs;
  const bool same_ids = q.facts.mnt_id_unique == (snap.id_kind == detach::IdKind::Unique);
  const Mount* m = ctx.own.by_key(q.own_mount);
  if (m == nullptr && same_ids) m = snap.mount(q.facts.mnt_id);  // on a mount of another namespace
  if (q.stat_ok && S_ISBLK(q.facts.mode)) {
    fs.block = true;
    fs.dev = q.facts.rdev;
    fs.source = q.path;  // a mount of it names it so, mostly; the others are asked by their device numbers
  } else if (m != nullptr) {
    fs.dev = m->dev;
    if (is_device_path(m->source)) fs.source = m->source;
    fs.subvolume = subvolume_of(*m);
    fs.name_dev = q.facts.dev;
  } else {
    fs.dev = q.facts.dev;
  }
  for (const auto& [key, mount] : snap.mounts) {
    if (!of_superblock(mount, fs)) continue;
    fs.all_mounts.insert(key);
    if (of_filesystem(mount, fs)) fs.mounts.insert(key);
  }
  for (const Mount& mount : ctx.own.all())
    if (of_filesystem(as_scanned(mount, snap), fs)) fs.own_mounts.push_back(&mount);
  if (fs.subvolume.empty()) fs.devs.insert(fs.dev);
  if (q.stat_ok && !fs.block) fs.devs.insert(q.facts.dev);
  add_claiming_filesystem(snap, fs);
  return fs;
}

Report match_filesystem(const Query& q, const MatchContext& ctx, std::vector<std::string>& notes) {
  const detach::Snapshot& snap = ctx.snapshot;
  const Filesystem fs = filesystem_of(q, ctx);
  Report r;
  r.label = q.label;
  Uses uses(ctx);
  std::vector<const Pin*> kernel;
  for (const Pin& pin : snap.pins) {
    if (detach::is_task_pin(pin.kind)) {
      if (fs.holds(pin))
        uses.add_task_pin(pin);
      else if (is_socket_of(pin, q, ctx))
        uses.add_socket(pin);
      continue;
    }
    if (fs.mounts.count(pin.mount) || (pin.mount == 0 && fs.devs.count(pin.dev))) kernel.push_back(&pin);
  }
  add_kernel_pins(r, kernel, snap);
  r.processes = uses.take();

  // The mount line: the first of our mounts of it.
  if (!fs.own_mounts.empty()) add_kernel(r, KernelKind::Mount, fs.own_mounts.front()->target);
  if (fs.block) add_claim_rows(r, snap, fs.dev);
  for (const std::string& e : ctx.exports) {
    const Mount* m = ctx.own.containing(e);
    if (m != nullptr && std::find(fs.own_mounts.begin(), fs.own_mounts.end(), m) != fs.own_mounts.end())
      add_kernel(r, KernelKind::Knfsd, e);
  }
  order_kernel(r);
  note_detached_filesystem(q, fs.all_mounts, snap, notes);
  return r;
}

Report match_file(const Query& q, const MatchContext& ctx) {
  const detach::Snapshot& snap = ctx.snapshot;
  Report r;
  r.label = q.label;
  Uses uses(ctx);
  const Mount* own = ctx.own.by_key(q.own_mount);
  for (const Pin& pin : snap.pins) {
    if (detach::is_task_pin(pin.kind)) {
      // A range pin stands for several files: only a pin of one object has its inode.
      if (pin.dev == q.facts.dev && pin.ino == q.facts.ino && pin.fd_last <= pin.fd)
        uses.add_task_pin(pin);
      else if (is_socket_of(pin, q, ctx))
        uses.add_socket(pin);
    } else if (pin.kind == PinKind::LoopBacking && pin.ino == q.facts.ino &&
               (pin.dev == q.facts.dev || (own != nullptr && pin.dev == own->dev))) {
      add_kernel(r, KernelKind::Loop, pin.holder);
    }
  }
  r.processes = uses.take();
  for (const detach::SwapArea& swap : snap.swaps) {
    if (swap.path == q.path) {
      add_kernel(r, KernelKind::Swap, swap.path);
      break;
    }
  }
  // The mount line: one of our mounts whose root is this very file (a mount point, or the source of a bind
  // mount), found from the mount table: no mount point is stat'ed.
  if (own != nullptr && is_under(q.path, own->target)) {
    const std::string in_fs = path_in_fs(*own, q.path);
    for (const Mount& m : ctx.own.all()) {
      if (m.dev == own->dev && (m.root.empty() ? "/" : m.root) == in_fs) {
        add_kernel(r, KernelKind::Mount, m.target);
        break;
      }
    }
  }
  for (const std::string& e : ctx.exports)
    if (e == q.path) add_kernel(r, KernelKind::Knfsd, e);
  if (q.stat_ok && S_ISBLK(q.facts.mode)) add_claim_rows(r, snap, q.facts.rdev);
  order_kernel(r);
  return r;
}

// A file whose filesystem did not answer: what holds that path on its mount (readlink never waits on it).
Report match_path(const Query& q, const MatchContext& ctx) {
  Report r;
  r.label = q.label;
  Uses uses(ctx);
  const Mount* own = ctx.own.by_key(q.own_mount);
  const MountKey key = own ? snapshot_key(*own, ctx.snapshot.id_kind) : 0;
  for (const Pin& pin : ctx.snapshot.pins)
    if (detach::is_task_pin(pin.kind) && key != 0 && pin.mount == key && pin.path == q.path)
      uses.add_task_pin(pin);
  r.processes = uses.take();
  for (const Mount& m : ctx.own.all()) {
    if (m.target == q.path) {
      add_kernel(r, KernelKind::Mount, m.target);
      break;
    }
  }
  return r;
}

Report match_sockets(const Query& q, const MatchContext& ctx) {
  Report r;
  r.label = q.label;
  Uses uses(ctx);
  for (const Pin& pin : ctx.snapshot.pins)
    if (detach::is_task_pin(pin.kind) && is_socket_of(pin, q, ctx)) uses.add_socket(pin);
  r.processes = uses.take();
  return r;
}

}  // namespace

detach::ScanOptions scan_options_for(const std::vector<Query>& queries, const Options& options,
                                     const OwnMounts& own) {
  detach::ScanOptions scan;
  bool by_inode = false, any_fs = false, any_detached = false;
  std::set<DeviceNumber> fs_devs;
  std::set<MountKey> path_mounts;  // by both ids: the snapshot may key on either
  std::vector<DeviceNumber> block_devs;
  for (const Query& q : queries) {
    switch (q.kind) {
      case QueryKind::File:
      case QueryKind::Sockets:
        by_inode = true;
        break;
      case QueryKind::Filesystem:
        any_fs = true;
        by_inode = by_inode || !q.socket_inodes.empty();
        fs_devs.insert(own_fs_dev(q, own));
        // A block device: the scan knows which mounts are on it (btrfs by its source, the filesystems that
        // claim it as a log, journal or further device).
        if (q.stat_ok && S_ISBLK(q.facts.mode)) block_devs.push_back(q.facts.rdev);
        break;
      case QueryKind::Path:
        by_inode = true;
        if (const Mount* m = own.by_key(q.own_mount)) path_mounts.insert({m->unique_id, m->old_id});
        break;
      case QueryKind::Detached:
        any_detached = true;
        break;
      case QueryKind::None:
        break;
    }
  }
  // One pin per fd keeps each fd's inode (a range keeps its first's only); with it, detailed fds get their
  // paths too, which is what a Path query compares.
  scan.fd_paths = by_inode;
  const bool access = options.verbose || (options.kill && options.writeonly);
  scan.detail_pins_of = [access, fs_devs, path_mounts](const Mount& m) {
    return path_mounts.count(m.key) != 0 || (access && fs_devs.count(m.dev) != 0);
  };
  if (access) scan.detail_devices = std::move(block_devs);
  // What a detached mount is (its device, fs type) is printed by --detached and used by -m; else not asked.
  if (!any_detached && !any_fs) scan.describe_detached = [](const Mount&) { return false; };
  scan.detached_options = false;
  // The access modes and paths of fds on detached mounts are printed by --detached -v only (and -w acts on
  // them); else each would cost a syscall more.
  scan.detached_details = access && (any_detached || any_fs);
  return scan;
}

std::vector<Report> match_queries(const std::vector<Query>& queries, const MatchContext& ctx,
                                  std::vector<std::string>& notes) {
  std::vector<Report> out;
  for (const Query& q : queries) {
    switch (q.kind) {
      case QueryKind::Filesystem:
        out.push_back(match_filesystem(q, ctx, notes));
        break;
      case QueryKind::File:
        out.push_back(match_file(q, ctx));
        break;
      case QueryKind::Path:
        out.push_back(match_path(q, ctx));
        break;
      case QueryKind::Sockets:
        out.push_back(match_sockets(q, ctx));
        break;
      case QueryKind::Detached:
        for (Report& r : match_detached(q, ctx, notes)) out.push_back(std::move(r));
        break;
      case QueryKind::None: {
        Report r;
        r.label = q.label;
        out.push_back(std::move(r));
        break;
      }
    }
  }
  return out;
}

}  // namespace fuser

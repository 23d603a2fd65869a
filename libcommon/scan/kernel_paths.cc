// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/kernel_paths.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>

#include "journal/journal.h"
#include "scan/path_lookup.h"

namespace detach::scan {
namespace {

bool is_under(const std::string& path, const std::string& dir) {
  if (dir.empty() || path.compare(0, dir.size(), dir) != 0) return false;
  return path.size() == dir.size() || dir == "/" || path[dir.size()] == '/';
}

// The lazily detached mount whose journaled former mount point holds PATH, the deepest one.
const Mount* detached_holding(const Snapshot& snapshot, const std::string& path) {
  const Mount* best = nullptr;
  for (const auto& [key, m] : snapshot.mounts)
    if (!m.attached && !m.unverified && is_under(path, m.target) &&
        (best == nullptr || m.target.size() > best->target.size()))
      best = &m;
  return best;
}

std::chrono::milliseconds time_left(const ScanState& state) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(state.fs_deadline -
                                                                    std::chrono::steady_clock::now());
  // Paths are looked up after the scan's other bounded calls: give them a moment of their own.
  return std::max(left, std::chrono::milliseconds(200));
}

PathPlace on_former_target(const Mount& m) {
  PathPlace p;
  p.mount = m.key;
  p.dev = m.dev;
  p.by_former_target = true;
  return p;
}

// A mount of DEV that was lazily detached from TARGET, as a record says (the journal's records of this boot,
// newest first, and the detach the caller just made), when no mount the scan found stands for it.
struct FormerMount {
  DeviceNumber dev;
  std::string target;
  std::uint64_t ns_id = 0;  // the namespace it was detached from, 0 when unknown
};

std::vector<FormerMount> former_mounts(const ScanState& state) {
  std::vector<FormerMount> out;
  const ScanOptions& options = state.options;
  if (const auto& d = options.just_detached) out.push_back(FormerMount{d->dev, d->target, d->ns_id});
  if (options.journal_dir.empty()) return out;
  auto records = DetachJournal(options.journal_dir).read({});
  auto boot = current_boot_id(options.proc_root);
  if (!records || !boot) return out;
  for (auto it = records->rbegin(); it != records->rend(); ++it)
    if (it->boot_id == *boot && it->dev != DeviceNumber{} && !it->target.empty())
      out.push_back(FormerMount{it->dev, it->target, it->ns_id});
  return out;
}

// Whether the filesystem DEV lives: sysfs lists it, or the scan found a mount of it.
bool alive(const Snapshot& snapshot, DeviceNumber dev) {
  if (snapshot.live_filesystem(dev) != nullptr) return true;
  return std::any_of(snapshot.mounts.begin(), snapshot.mounts.end(),
                     [dev](const auto& entry) { return entry.second.dev == dev; });
}

// PLACE, which no mount the scan found explains, by the records of detaches: a path under the former mount
// point of a filesystem that still lives, that now leads nowhere or to the filesystem that was under that
// mount point, is on that filesystem (no mount of it is known: the scan ties it to the one only the kernel
// holds). The deepest former mount point wins, the newest record of it first.
// NS_ID: the namespace the path is seen from (0 when unknown): a record of another namespace says nothing of
// it.
void place_by_records(const Snapshot& snapshot, const std::string& path, std::uint64_t ns_id,
                      const std::vector<FormerMount>& formers, PathPlace& place) {
  const FormerMount* best = nullptr;
  for (const FormerMount& f : formers) {
    if (f.ns_id != 0 && ns_id != 0 && f.ns_id != ns_id) continue;
    if (is_under(path, f.target) && (best == nullptr || f.target.size() > best->target.size())) best = &f;
  }
  if (best == nullptr || !alive(snapshot, best->dev)) return;
  if (place.placed()) {
    const Mount* now = snapshot.mount(place.mount);
    if (now == nullptr || now->dev == best->dev || !is_under(best->target, now->target) ||
        now->target == best->target)
      return;
  }
  place = PathPlace{};
  place.dev = best->dev;
  place.by_former_target = true;
}

// The id of the mount namespace of process PID (0: ours), 0 when unknown.
std::uint64_t namespace_id_of(const ScanState& state, pid_t pid) {
  std::uint64_t inode = 0;
  if (pid == 0) {
    inode = caller_mount_namespace(state.options.proc_root);
  } else {
    for (const TaskRef& t : state.tasks)
      if (t.pid == pid) inode = t.ns_inode;
  }
  for (const Namespace& ns : state.snapshot.namespaces)
    if (inode != 0 && ns.inode == inode) return ns.id;
  return 0;
}

PathPlace place_one(const ScanState& state, const std::string& path, const Result<PathFacts>& facts) {
  const Snapshot& snapshot = state.snapshot;
  const Mount* former = detached_holding(snapshot, path);
  if (!facts || facts->stat_error != 0) {
    if (former != nullptr) return on_former_target(*former);
    PathPlace p;
    int err = facts ? facts->stat_error : facts.error().err;
    p.error = err == ETIMEDOUT ? "its filesystem did not answer in time" : std::strerror(err);
    p.nowhere = err == ENOENT || err == ENOTDIR;
    return p;
  }
  PathPlace p;
  const bool same_family = facts->mnt_id_unique == (snapshot.id_kind == IdKind::Unique);
  p.mount = same_family ? facts->mnt_id : 0;
  p.dev = facts->dev;
  p.ino = facts->ino;
  // It resolved to the filesystem that was under a detached mount's former mount point: at the time the
  // kernel took the file, that mount was likely in the way.
  const Mount* now = snapshot.mount(p.mount);
  if (former != nullptr && now != nullptr && now->key != former->key &&
      is_under(former->target, now->target) && now->target != former->target)
    return on_former_target(*former);
  return p;
}

}  // namespace

std::vector<PathPlace> place_kernel_paths(const ScanState& state, const std::vector<KernelPath>& paths) {
  std::vector<PathPlace> out(paths.size());
  if (!state.options.live) return out;
  // Each distinct lookup once: many ring slots or layers share paths.
  std::map<std::string, std::size_t> index;
  std::vector<std::string> lookups;
  std::vector<std::size_t> lookup_of(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const KernelPath& kp = paths[i];
    std::string lookup =
        kp.seen_from != 0 ? state.options.proc_root + "/" + std::to_string(kp.seen_from) + "/root" + kp.path
                          : kp.path;
    auto [it, added] = index.emplace(lookup, lookups.size());
    if (added) lookups.push_back(lookup);
    lookup_of[i] = it->second;
  }
  std::vector<std::size_t> absolute;
  std::vector<std::string> asked;
  for (std::size_t j = 0; j < lookups.size(); ++j) {
    if (!lookups[j].empty() && lookups[j][0] == '/') {
      absolute.push_back(j);
      asked.push_back(lookups[j]);
    }
  }
  std::vector<Result<PathFacts>> facts_of(lookups.size(), fail(ENOENT, "stat"));
  std::vector<Result<PathFacts>> found = stat_paths_bounded(asked, StatSync::Cached, time_left(state));
  for (std::size_t k = 0; k < absolute.size(); ++k) facts_of[absolute[k]] = std::move(found[k]);
  for (std::size_t i = 0; i < paths.size(); ++i)
    out[i] = place_one(state, paths[i].path, facts_of[lookup_of[i]]);
  // What no detached mount of the snapshot explained, by the records of detaches (read only when needed).
  std::optional<std::vector<FormerMount>> formers;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (out[i].by_former_target || paths[i].path.empty() || paths[i].path[0] != '/') continue;
    if (!formers) formers = former_mounts(state);
    place_by_records(state.snapshot, paths[i].path, namespace_id_of(state, paths[i].seen_from), *formers,
                     out[i]);
  }
  return out;
}

void place_pin(Pin& pin, const PathPlace& place) {
  pin.mount = place.mount;
  pin.dev = place.dev;
  pin.ino = place.ino;
  pin.by_former_target = place.by_former_target;
  pin.resolves_nowhere = place.nowhere;
}

}  // namespace detach::scan

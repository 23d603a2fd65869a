// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/kernel_paths.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>

#include "scan/path_lookup.h"

namespace detach::scan {
namespace {

bool is_under(const std::string& path, const std::string& dir) {
  if (dir.empty() || path.compare(0, dir.size(), dir) != 0) return false;
  return path.size() == dir.size() || dir == "/" || path[dir.size()] == '/';
}

// The lazily detached (or kernel-held) mount whose journaled former mount point holds PATH, the deepest one,
// in namespace NS_ID when both are known.
const Mount* detached_holding(const ScanState& state, const KernelPath& kp) {
  const Mount* best = nullptr;
  for (const auto& [key, m] : state.snapshot.mounts) {
    if (m.attached || m.unverified || !is_under(kp.path, m.target)) continue;
    if (kp.ns_id != 0 && m.ns_id != 0 && kp.ns_id != m.ns_id) continue;
    // A mount made after the holder took the file is not where the file is.
    auto recorded = state.recorded_ids.find(key);
    const std::uint64_t id = recorded != state.recorded_ids.end() ? recorded->second : m.unique_id;
    if (kp.made_before != 0 && id >= kp.made_before) continue;
    if (best == nullptr || m.target.size() > best->target.size()) best = &m;
  }
  return best;
}

PathPlace unplaced(std::string why, bool nowhere) {
  PathPlace p;
  p.error = std::move(why);
  p.nowhere = nowhere;
  return p;
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

PathPlace place_one(const ScanState& state, const KernelPath& kp, const Result<PathFacts>& facts) {
  const Snapshot& snapshot = state.snapshot;
  if (kp.as_given && (kp.path.empty() || kp.path[0] != '/'))
    return unplaced("a relative path, to a directory the kernel does not show", false);
  const Mount* former = detached_holding(state, kp);
  if (kp.no_lookup) return former != nullptr ? on_former_target(*former) : unplaced(kp.no_lookup_why, false);
  if (!facts || facts->stat_error != 0) {
    if (former != nullptr) return on_former_target(*former);
    int err = facts ? facts->stat_error : facts.error().err;
    return unplaced(err == ETIMEDOUT ? "its filesystem did not answer in time" : std::strerror(err),
                    err == ENOENT || err == ENOTDIR);
  }
  const bool same_family = facts->mnt_id_unique == (snapshot.id_kind == IdKind::Unique);
  // Mounted over since the holder took the file: the path leads elsewhere now.
  if (kp.made_before != 0 && facts->mnt_id_unique && facts->mnt_id >= kp.made_before) {
    if (former != nullptr) return on_former_target(*former);
    return unplaced("it leads to a mount made after the one that holds it", false);
  }
  PathPlace p;
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
    if (kp.no_lookup) {
      lookup_of[i] = SIZE_MAX;
      continue;
    }
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
  const Result<PathFacts> not_asked = fail(ENOENT, "stat");
  for (std::size_t i = 0; i < paths.size(); ++i)
    out[i] = place_one(state, paths[i], lookup_of[i] == SIZE_MAX ? not_asked : facts_of[lookup_of[i]]);
  return out;
}

PathPlace exact_place(const ScanState& state, const ExactFile& file) {
  PathPlace place;
  place.mount = state.snapshot.mount(file.mount) != nullptr ? file.mount : 0;
  place.dev = file.dev;
  place.ino = file.ino;
  return place;
}

void place_pin(Pin& pin, const PathPlace& place) {
  pin.mount = place.mount;
  pin.dev = place.dev;
  pin.ino = place.ino;
  pin.by_former_target = place.by_former_target;
  pin.resolves_nowhere = place.nowhere;
}

}  // namespace detach::scan

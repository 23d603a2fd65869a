// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/path_lookup.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "base/parallel.h"
#include "kernel/bounded.h"
#include "kernel/uapi.h"

namespace detach {
namespace {

// What the child sends back: the fixed fields, then the canonical path.
struct Wire {
  int stat_error;
  unsigned dev_major, dev_minor, rdev_major, rdev_minor;
  std::uint64_t ino;
  mode_t mode;
  std::uint64_t mnt_id;
  bool mnt_id_unique;
  bool mount_root;
};

Wire stat_wire(const std::string& path, StatSync sync) {
  Wire w{};
  const int flags = sync == StatSync::Sync ? 0 : AT_NO_AUTOMOUNT | AT_STATX_DONT_SYNC;
  struct statx stx {};
  if (::statx(AT_FDCWD, path.c_str(), flags, STATX_BASIC_STATS | uapi::kStatxMntIdUnique, &stx) != 0) {
    w.stat_error = errno;
    return w;
  }
  // Before 6.8 the unique bit is ignored and the old id is not asked for: ask for it.
  if (!(stx.stx_mask & uapi::kStatxMntIdUnique) &&
      ::statx(AT_FDCWD, path.c_str(), flags, STATX_BASIC_STATS | uapi::kStatxMntId, &stx) != 0) {
    w.stat_error = errno;
    return w;
  }
  w.dev_major = stx.stx_dev_major;
  w.dev_minor = stx.stx_dev_minor;
  w.rdev_major = stx.stx_rdev_major;
  w.rdev_minor = stx.stx_rdev_minor;
  w.ino = stx.stx_ino;
  w.mode = stx.stx_mode;
  w.mnt_id_unique = (stx.stx_mask & uapi::kStatxMntIdUnique) != 0;
  w.mnt_id = (stx.stx_mask & (uapi::kStatxMntIdUnique | uapi::kStatxMntId)) ? stx.stx_mnt_id : 0;
  w.mount_root =
      (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
  return w;
}

Result<std::string> facts_in_child(const std::string& path, StatSync sync) {
  Wire w = stat_wire(path, sync);
  std::string out(reinterpret_cast<const char*>(&w), sizeof w);
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) != nullptr) out += resolved;
  return out;
}

Result<PathFacts> decode(const std::string& wire) {
  if (wire.size() < sizeof(Wire)) return fail(EPROTO, "stat", {}, "short result from child");
  Wire w;
  std::memcpy(&w, wire.data(), sizeof w);
  PathFacts facts;
  facts.canonical = wire.substr(sizeof w);
  facts.stat_error = w.stat_error;
  facts.dev = DeviceNumber{w.dev_major, w.dev_minor};
  facts.rdev = DeviceNumber{w.rdev_major, w.rdev_minor};
  facts.ino = w.ino;
  facts.mode = w.mode;
  facts.mnt_id = w.mnt_id;
  facts.mnt_id_unique = w.mnt_id_unique;
  facts.mount_root = w.mount_root;
  return facts;
}

}  // namespace

std::vector<Result<PathFacts>> stat_paths_bounded(const std::vector<std::string>& paths, StatSync sync,
                                                  std::chrono::milliseconds limit) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + limit;
  std::vector<Result<PathFacts>> out(paths.size(), fail(ETIMEDOUT, "stat"));
  // Each child mostly waits on its filesystem: many at once cost one bound, not one each.
  constexpr std::size_t kMaxAtOnce = 16;
  run_in_parallel(paths.size(), std::min(kMaxAtOnce, paths.size()), [&](std::size_t i) {
    const std::string& path = paths[i];
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    Result<std::string> wire = run_bounded([&path, sync] { return facts_in_child(path, sync); },
                                           std::max(left, std::chrono::milliseconds(1)));
    out[i] = wire ? decode(*wire) : tl::unexpected(wire.error());
    if (!out[i] && out[i].error().err == ETIMEDOUT) out[i] = fail(ETIMEDOUT, "stat", path);
  });
  return out;
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// The mount table of fuser's own namespace, in the kernel's order: where psmisc's "kernel mount" lines and
// -M come from, and what a path is on when its filesystem cannot be asked.
#pragma once

#include <string>
#include <vector>

#include "model/mount.h"

namespace fuser {

class OwnMounts {
 public:
  OwnMounts() = default;
  explicit OwnMounts(std::vector<detach::Mount> mounts) : mounts_(std::move(mounts)) {}

  const std::vector<detach::Mount>& all() const { return mounts_; }
  const detach::Mount* by_key(detach::MountKey key) const;
  // The mount an absolute, normalized PATH is on as far as the table tells without asking any filesystem:
  // the last mounted of those whose mount point is PATH or a parent of it.
  const detach::Mount* containing(const std::string& path) const;
  bool is_mount_point(const std::string& path) const;

 private:
  std::vector<detach::Mount> mounts_;
};

// The key SNAP gives our mount M: snapshots key on unique ids when the kernel has them everywhere, and fall
// back to old ids (a namespace walk that was refused lists mountinfo), while our table may have either.
detach::MountKey snapshot_key(const detach::Mount& m, detach::IdKind snapshot_ids);

// PATH made absolute (from the working directory) and normalized without a lookup: "." and ".." and
// repeated slashes resolved by their text only. For a path whose filesystem does not answer.
std::string lexical_absolute(const std::string& path);

// Whether PATH lies at or under the mount point TARGET ("/" holds everything).
bool is_under(const std::string& path, const std::string& target);

// The path inside the filesystem of mount M that PATH (at or under M's mount point) names: M's root joined
// with the rest of PATH.
std::string path_in_fs(const detach::Mount& m, const std::string& path);

}  // namespace fuser

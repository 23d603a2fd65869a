// SPDX-License-Identifier: GPL-2.0-or-later
#include "own_mounts.h"

#include <unistd.h>

#include <climits>
#include <vector>

namespace fuser {

const detach::Mount* OwnMounts::by_key(detach::MountKey key) const {
  for (const detach::Mount& m : mounts_)
    if (m.key == key) return &m;
  return nullptr;
}

const detach::Mount* OwnMounts::containing(const std::string& path) const {
  const detach::Mount* best = nullptr;
  for (const detach::Mount& m : mounts_) {
    if (!is_under(path, m.target)) continue;
    // A deeper mount point wins; of two at one place, the later (it is on top).
    if (best == nullptr || m.target.size() >= best->target.size()) best = &m;
  }
  return best;
}

bool OwnMounts::is_mount_point(const std::string& path) const {
  for (const detach::Mount& m : mounts_)
    if (m.target == path) return true;
  return false;
}

detach::MountKey snapshot_key(const detach::Mount& m, detach::IdKind snapshot_ids) {
  if (snapshot_ids == detach::IdKind::Old) return m.old_id;
  return m.unique_id;
}

std::string lexical_absolute(const std::string& path) {
  std::string full = path;
  if (path.empty() || path[0] != '/') {
    char cwd[PATH_MAX];
    full = std::string(::getcwd(cwd, sizeof cwd) ? cwd : "/") + "/" + path;
  }
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (at <= full.size()) {
    std::size_t end = full.find('/', at);
    if (end == std::string::npos) end = full.size();
    const std::string part = full.substr(at, end - at);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    at = end + 1;
  }
  std::string out;
  for (const std::string& part : parts) out += "/" + part;
  return out.empty() ? "/" : out;
}

bool is_under(const std::string& path, const std::string& target) {
  if (target == "/") return !path.empty() && path[0] == '/';
  return path.compare(0, target.size(), target) == 0 &&
         (path.size() == target.size() || path[target.size()] == '/');
}

std::string path_in_fs(const detach::Mount& m, const std::string& path) {
  std::string rest = m.target == "/" ? path : path.substr(m.target.size());
  if (rest.empty() || rest == "/") return m.root.empty() ? "/" : m.root;
  if (m.root.empty() || m.root == "/") return rest;
  return m.root + rest;
}

}  // namespace fuser

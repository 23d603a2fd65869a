// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/caller.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "kernel/listmount.h"
#include "kernel/nsfs.h"
#include "kernel/procfs.h"
#include "kernel/statx.h"
#include "scan/mount_namespace.h"

namespace detach {

std::vector<pid_t> caller_chain(const std::string& proc_root, std::size_t max) {
  std::vector<pid_t> out;
  pid_t pid = ::getpid();
  while (pid > 1 && out.size() < max) {
    out.push_back(pid);
    auto stat = read_file(proc_root + "/" + std::to_string(pid) + "/stat");
    if (!stat) break;
    std::optional<pid_t> parent = parse_stat_ppid(*stat);
    if (!parent || std::find(out.begin(), out.end(), *parent) != out.end()) break;
    pid = *parent;
  }
  return out;
}

namespace {

// The device number of the mount's superblock as the mount table shows it: statx gives that of the file,
// which on btrfs is its subvolume's (an anonymous number of its own), not the filesystem's.
std::optional<DeviceNumber> table_device(const MountIdentity& id, const std::string& proc_root) {
  if (id.unique_id != 0) {
    if (Result<Mount> m = stat_mount(id.unique_id, 0)) return m->dev;
  }
  if (id.old_id == 0) return std::nullopt;
  Result<std::vector<Mount>> mounts = read_mountinfo(proc_root + "/self/mountinfo");
  if (!mounts) return std::nullopt;
  for (const Mount& m : *mounts)
    if (m.old_id == id.old_id) return m.dev;
  return std::nullopt;
}

}  // namespace

Result<MountIdentity> identify_mount(const std::string& path, const std::string& proc_root) {
  MountIdentity id;
  auto unique = mount_ref_at(AT_FDCWD, path.c_str(), true, AT_NO_AUTOMOUNT);
  if (!unique) return tl::unexpected(unique.error());
  id.dev = unique->dev;
  if (unique->unique) id.unique_id = unique->mnt_id;
  auto old = unique->unique ? mount_ref_at(AT_FDCWD, path.c_str(), false, AT_NO_AUTOMOUNT) : unique;
  if (old) id.old_id = static_cast<std::uint32_t>(old->mnt_id);
  if (std::optional<DeviceNumber> dev = table_device(id, proc_root)) id.dev = *dev;
  if (auto ns = task_mount_namespace(proc_root, static_cast<unsigned>(::getpid()))) {
    id.ns_id = ns->id;
    id.ns_inode = ns->inode;
  }
  return id;
}

Result<bool> namespace_has_mount_of(DeviceNumber dev, const std::string& proc_root) {
  auto mounts = read_mountinfo(proc_root + "/self/mountinfo");
  if (!mounts) return tl::unexpected(mounts.error());
  return std::any_of(mounts->begin(), mounts->end(), [dev](const Mount& m) { return m.dev == dev; });
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/mount_namespace.h"

#include <fcntl.h>

#include "base/unique_fd.h"
#include "kernel/listmount.h"
#include "kernel/nsfs.h"
#include "kernel/procfs.h"

namespace detach {

Result<MountNamespaceRef> task_mount_namespace(const std::string& proc_root, unsigned tid) {
  const std::string path = proc_root + "/" + std::to_string(tid) + "/ns/mnt";
  auto link = read_link(path);
  if (!link) return tl::unexpected(link.error());
  MountNamespaceRef ref;
  ref.inode = parse_mnt_ns_link(*link);
  if (ref.inode == 0) return fail(EINVAL, "readlink", path);
  if (UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)); fd)
    ref.id = mount_namespace_id(fd.get()).value_or(0);
  return ref;
}

Result<std::vector<Mount>> list_own_mounts() {
  auto ids = list_mount_ids(0);
  if (!ids) return tl::unexpected(ids.error());
  std::vector<Mount> mounts;
  mounts.reserve(ids->size());
  for (std::uint64_t id : *ids)
    if (auto m = stat_mount(id, 0)) mounts.push_back(std::move(*m));
  return mounts;
}

Result<std::vector<Mount>> own_mounts(const std::string& proc_root) {
  auto listed = list_own_mounts();
  if (listed || listed.error().err != ENOSYS) return listed;
  return read_mountinfo(proc_root + "/self/mountinfo");
}

}  // namespace detach

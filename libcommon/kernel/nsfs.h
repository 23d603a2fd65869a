// SPDX-License-Identifier: GPL-2.0-or-later
// Mount namespaces through nsfs: ids, and the walk over every namespace on the system.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

struct MountNamespaceHandle {
  UniqueFd fd;              // an nsfs fd: keeps the namespace alive while we look at it
  std::uint64_t id = 0;     // NS_GET_MNTNS_ID / mnt_ns_info.mnt_ns_id
  std::uint64_t inode = 0;  // "mnt:[INODE]"
};

// Every mount namespace, walking NS_MNT_GET_NEXT/PREV from the caller's (6.12, CAP_SYS_ADMIN).
// ENOTTY/EINVAL from an older kernel come back as an error so the caller can fall back to /proc/*/ns/mnt.
Result<std::vector<MountNamespaceHandle>> walk_mount_namespaces(const std::string& proc_root);

// The id of the mount namespace behind an nsfs fd (NS_GET_MNTNS_ID, 6.10).
Result<std::uint64_t> mount_namespace_id(int ns_fd);

// The mount namespace task PID is in (PROC_ROOT/PID/ns/mnt), with its id: how a namespace is reached when the
// walk is refused (a user who is not root, a PID namespace of its own).
Result<MountNamespaceHandle> open_task_mount_namespace(const std::string& proc_root, int pid);

// "mnt:[4026531841]" -> 4026531841; 0 when TEXT is not a mount namespace link.
std::uint64_t parse_mnt_ns_link(const std::string& text);

}  // namespace detach

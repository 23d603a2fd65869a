// SPDX-License-Identifier: GPL-2.0-or-later
// A task's mount namespace and the caller's own mount table, straight from the kernel, for tools that ask
// about one namespace rather than take a whole Snapshot.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "model/mount.h"
#include "model/namespace.h"

namespace detach {

// The mount namespace task TID is in (/proc/TID/ns/mnt, and NS_GET_MNTNS_ID on it when the kernel has it).
Result<MountNamespaceRef> task_mount_namespace(const std::string& proc_root, unsigned tid);

// Every mount of the caller's namespace through listmount() + statmount() (Linux 6.8): unique ids, in the
// kernel's order. A mount unmounted between the two calls is left out. ENOSYS before 6.8.
Result<std::vector<Mount>> list_own_mounts();

// The caller's mount table in the kernel's order: list_own_mounts() (unique ids), or before Linux 6.8
// PROC_ROOT/self/mountinfo through libmount (old ids, as statx gives them there).
Result<std::vector<Mount>> own_mounts(const std::string& proc_root);

}  // namespace detach

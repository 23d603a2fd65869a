// SPDX-License-Identifier: GPL-2.0-or-later
// What the kernel NFS server exports (/proc/fs/nfs/exports): each export holds its directory's mount, as a
// mount or a swap file does.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace detach {

// The exported paths, unescaped ("\040" for a blank), in the file's order; comment lines are skipped.
std::vector<std::string> parse_nfs_exports(const std::string& text);

// PROC_ROOT/fs/nfs/exports; ENOENT when no NFS server runs (nfsd not loaded).
Result<std::vector<std::string>> read_nfs_exports(const std::string& proc_root);

}  // namespace detach

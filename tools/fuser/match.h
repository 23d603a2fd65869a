// SPDX-License-Identifier: GPL-2.0-or-later
// Queries against one Snapshot: which processes (and which kernel objects) use each name, with psmisc's
// access letters. Matching is by mount and superblock, not by st_dev alone: every mount of a filesystem
// counts (bind mounts, copies in other namespaces, lazily detached ones), and btrfs subvolumes, whose files
// have st_devs of their own, are one filesystem.
#pragma once

#include <string>
#include <vector>

#include "command_line.h"
#include "model/snapshot.h"
#include "own_mounts.h"
#include "query.h"
#include "scan/scan.h"

namespace fuser {

// The scan QUERIES need, and no more: pin details (access modes, paths) only for the mounts they ask about
// and only when printed or used (-v, -k -w); one pin per fd (with its inode) only when a file or socket is
// matched by inode; no call into a filesystem it is not asked about.
detach::ScanOptions scan_options_for(const std::vector<Query>& queries, const Options& options,
                                     const OwnMounts& own);

struct MatchContext {
  const detach::Snapshot& snapshot;
  const OwnMounts& own;
  const detach::ScanOptions& scan;   // where the access mode of an fd the scan gave no details is read again
  detach::DeviceNumber sockfs;       // st_dev of socket fds
  bool want_access = false;          // F rather than f for fds open for writing (-v, -k -w)
  std::vector<std::string> exports;  // what the kernel NFS server exports
};

// One report per query, in order (--detached without a name: one per detached mount). Things a user should
// know about the answer (a filesystem that is only lazily detached) go to NOTES.
std::vector<Report> match_queries(const std::vector<Query>& queries, const MatchContext& ctx,
                                  std::vector<std::string>& notes);

}  // namespace fuser

// SPDX-License-Identifier: GPL-2.0-or-later
// From names to queries: what each NAME is, asked the way psmisc asks (a stat of a file, the resolver for a
// port), but bounded in time: a name on a filesystem that never answers is matched by its mount instead of
// hanging fuser. psmisc's messages for names that fail are printed here, in order.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "command_line.h"
#include "output.h"
#include "own_mounts.h"
#include "query.h"

namespace fuser {

// The device number of a Filesystem query's filesystem as our mount table tells it (the device a block
// device name opens; else the superblock of the mount the name is on, or its own st_dev), before any scan.
detach::DeviceNumber own_fs_dev(const Query& q, const OwnMounts& own);

// LIMIT bounds the stats of all the names together.
std::vector<Query> resolve_names(const std::vector<NameArg>& names, const OwnMounts& own,
                                 std::chrono::milliseconds limit, Output& o);

// -M: names that are no mount point of ours are dropped, each with psmisc's message. As psmisc, it takes
// the trailing slashes off the names it checks.
void keep_mount_points(std::vector<Query>& queries, const OwnMounts& own, Output& o);

// The unix sockets bound at a File query's socket file, or anywhere on a Filesystem query's filesystem
// (a bound socket keeps its mount busy, and psmisc lists its holders too), into their socket_inodes. Their
// paths are stat'ed to be sure, bounded by LIMIT.
void find_bound_sockets(std::vector<Query>& queries, const OwnMounts& own, const std::string& proc_root,
                        std::chrono::milliseconds limit);

// The sockets of tcp and udp queries, from PROC_ROOT/net: IPv4 unless OPTIONS say -6 only, IPv6 unless -4
// only. A missing IPv4 table is said as psmisc says it.
void find_inet_sockets(std::vector<Query>& queries, const Options& options, const std::string& proc_root,
                       Output& o);

}  // namespace fuser

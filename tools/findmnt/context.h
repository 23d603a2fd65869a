// SPDX-License-Identifier: GPL-2.0-or-later
// The state of one run: the Config, plus what the run builds (libmount cache, the matcher's working copy of
// the filters, parse error count). Passed by reference to every step; nothing is global.
#pragma once

#include <blkid.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>

#include "config.h"
#include "mnt.h"
#include "scan/mount_namespace.h"

namespace findmnt {

struct BlkidCacheFree {
  void operator()(blkid_struct_cache* c) const { blkid_put_cache(c); }
};

struct Context {
  explicit Context(Config c) : cfg(std::move(c)), match(cfg.match) {}
  Config cfg;
  Match match;     // may be changed while searching (source tried as a target)
  MntCache cache;  // null with -C
  std::unique_ptr<blkid_struct_cache, BlkidCacheFree> blkid;  // SOURCES column, loaded on first use
  int parse_errors = 0;
  std::optional<detach::MountNamespaceRef> task_ns;        // --detached -N: that task's mount namespace
  std::unordered_map<libmnt_fs*, std::uint64_t> uniq_ids;  // --kernel=listmount: each entry's unique id
  int direction() const { return cfg.direction == Direction::Forward ? MNT_ITER_FORWARD : MNT_ITER_BACKWARD; }
};

}  // namespace findmnt

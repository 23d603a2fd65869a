// SPDX-License-Identifier: GPL-2.0-or-later
// The rows of `findmnt --detached` in a text table (tree, list, raw, pairs). The tree: one row per
// filesystem, its detached mounts below it, and below each mount a row per pinner (--per-pin: per pin);
// kernel pins that hold the filesystem through its device only (a loop device's backing file: the kernel does
// not say through which mount) hang under the filesystem itself. A list: a row per (mount, pinner) when a
// pinner column is shown, else a row per mount.
#pragma once

#include <utility>
#include <vector>

#include "context.h"
#include "model/snapshot.h"
#include "output/table.h"

namespace findmnt {

class DetachedRows {
 public:
  DetachedRows(const Context& ctx, const detach::Snapshot& snap, detach::output::Table& out)
      : ctx_(ctx), snap_(snap), out_(out) {}

  void add(const detach::Mount& m);
  // Writes the tree rows, once every mount is added.
  void finish();

 private:
  void add_superblock(detach::DeviceNumber dev, const std::vector<const detach::Mount*>& mounts);
  detach::output::Line add_mount_row(const detach::Mount& m, const std::vector<const detach::Pin*>& pins,
                                     detach::output::Line parent);
  void add_list_rows(const detach::Mount& m);
  void add_pinner_rows(const std::vector<const detach::Pin*>& pins, const detach::Mount* m,
                       detach::output::Line parent);

  const Context& ctx_;
  const detach::Snapshot& snap_;
  detach::output::Table& out_;
  // The tree's filesystems, in listing order, each with its mounts.
  std::vector<std::pair<detach::DeviceNumber, std::vector<const detach::Mount*>>> groups_;
};

}  // namespace findmnt

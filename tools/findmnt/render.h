// SPDX-License-Identifier: GPL-2.0-or-later
// Filling the output table from a libmount table: the whole tree, a list of matches, or subtrees (-R).
#pragma once

#include <optional>
#include <unordered_set>

#include "context.h"
#include "mount_children.h"
#include "output/table.h"

namespace findmnt {

// An output table with the run's columns and style; nullopt (after a message) when a column cannot be shown
// in this mode (ACTION without --poll) or libsmartcols fails.
std::optional<detach::output::Table> make_output_table(const Context& ctx);

class Renderer {
 public:
  Renderer(Context& ctx, detach::output::Table& out) : ctx_(ctx), out_(out) {}

  // The whole mount tree from its root; entries not under the root are added as extra roots.
  bool add_tree(libmnt_table* tb);
  // Every matching entry (with -R: each one's subtree). False when nothing matched.
  bool add_matching(libmnt_table* tb);
  // One row per --poll change.
  void add_change(libmnt_fs* old_fs, libmnt_fs* new_fs, int change);

 private:
  detach::output::Line add_line(libmnt_fs* fs, detach::output::Line parent);
  bool add_subtree(libmnt_table* tb, libmnt_fs* fs, detach::output::Line parent);

  Context& ctx_;
  detach::output::Table& out_;
  std::unordered_set<libmnt_fs*> shown_;    // entries the tree walk gave a line
  std::unordered_set<libmnt_fs*> on_path_;  // the entries from the walk's root down to where it is
  std::optional<MountChildren> children_;   // indexed on the first tree walk
};

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
// The children of each mount of a mountinfo table, indexed once. libmount's mnt_table_next_child_fs() scans
// the whole table for every child it returns, so util-linux's tree walk is O(n²): 94% of findmnt's time on
// 10,000 mounts. This index gives the same children in the same order in one pass.
#pragma once

#include <libmount.h>

#include <unordered_map>
#include <vector>

namespace findmnt {

class MountChildren {
 public:
  // Indexes `tb`; a table that is not a mountinfo table (libmount's is_mountinfo(): its first entry is a
  // kernel entry with a root) has no children, as libmount answers for it.
  explicit MountChildren(libmnt_table* tb);

  // The children of `parent` as mnt_table_next_child_fs() returns them: the entries whose parent id is its
  // id, by ascending id, the first entry of the table for an id that appears twice, never `parent`'s own id.
  const std::vector<libmnt_fs*>& of(libmnt_fs* parent) const;

 private:
  std::unordered_map<int, std::vector<libmnt_fs*>> by_parent_id_;
  std::vector<libmnt_fs*> none_;
};

}  // namespace findmnt

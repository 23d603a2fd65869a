// SPDX-License-Identifier: GPL-2.0-or-later
#include "mount_children.h"

#include <algorithm>

#include "mnt.h"

namespace findmnt {
namespace {

bool is_mountinfo(libmnt_table* tb) {
  MntIter itr = new_iter(MNT_ITER_FORWARD);
  libmnt_fs* first = nullptr;
  return itr && mnt_table_next_fs(tb, itr.get(), &first) == 0 && mnt_fs_is_kernel(first) &&
         mnt_fs_get_root(first);
}

}  // namespace

MountChildren::MountChildren(libmnt_table* tb) {
  if (!is_mountinfo(tb)) return;
  MntIter itr = new_iter(MNT_ITER_FORWARD);
  libmnt_fs* fs = nullptr;
  while (itr && mnt_table_next_fs(tb, itr.get(), &fs) == 0) {
    // An entry that is its own parent (a rootfs in early userspace) is nobody's child.
    if (mnt_fs_get_id(fs) != mnt_fs_get_parent_id(fs)) by_parent_id_[mnt_fs_get_parent_id(fs)].push_back(fs);
  }
  auto by_id = [](libmnt_fs* a, libmnt_fs* b) { return mnt_fs_get_id(a) < mnt_fs_get_id(b); };
  auto same_id = [](libmnt_fs* a, libmnt_fs* b) { return mnt_fs_get_id(a) == mnt_fs_get_id(b); };
  for (auto& [parent_id, children] : by_parent_id_) {
    // Stable, so that of two entries with one id the first in the table stays, as libmount picks it.
    std::stable_sort(children.begin(), children.end(), by_id);
    children.erase(std::unique(children.begin(), children.end(), same_id), children.end());
  }
}

const std::vector<libmnt_fs*>& MountChildren::of(libmnt_fs* parent) const {
  auto it = by_parent_id_.find(mnt_fs_get_id(parent));
  return it == by_parent_id_.end() ? none_ : it->second;
}

}  // namespace findmnt

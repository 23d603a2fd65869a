// SPDX-License-Identifier: GPL-2.0-or-later
// Owners for libmount objects: each is released exactly once, when its owner goes. Shared by the tools that
// work through libmount (findmnt, umount).
#pragma once

#include <libmount.h>

#include <cstdio>
#include <memory>

namespace cli {

struct MntTableFree {
  void operator()(libmnt_table* t) const { mnt_unref_table(t); }
};
struct MntCacheFree {
  void operator()(libmnt_cache* c) const { mnt_unref_cache(c); }
};
struct MntIterFree {
  void operator()(libmnt_iter* i) const { mnt_free_iter(i); }
};
struct MntTabdiffFree {
  void operator()(libmnt_tabdiff* d) const { mnt_free_tabdiff(d); }
};

using MntTable = std::unique_ptr<libmnt_table, MntTableFree>;
using MntCache = std::unique_ptr<libmnt_cache, MntCacheFree>;
using MntIter = std::unique_ptr<libmnt_iter, MntIterFree>;
using MntTabdiff = std::unique_ptr<libmnt_tabdiff, MntTabdiffFree>;

// A stdio stream libmount parses from.
struct FileClose {
  void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileClose>;

inline MntIter new_iter(int direction) {
  return MntIter(mnt_new_iter(direction));
}

}  // namespace cli

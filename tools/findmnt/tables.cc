// SPDX-License-Identifier: GPL-2.0-or-later
#include "tables.h"

#include <unistd.h>

#include <cerrno>

#include "cli/diag.h"
#include "cli/i18n.h"

namespace findmnt {
namespace {

constexpr const char* kMountinfo = "/proc/self/mountinfo";
constexpr const char* kProcMounts = "/proc/mounts";

const char* kernel_default_path() {
  return access(kMountinfo, R_OK) == 0 ? kMountinfo : kProcMounts;
}

int parse_one(libmnt_table* tb, TabType type, const char*& path) {
  switch (type) {
    case TabType::Fstab:
      return mnt_table_parse_fstab(tb, path);
    case TabType::Mtab:
      return mnt_table_parse_mtab(tb, path);
    default:
      if (!path) path = kernel_default_path();
      return mnt_table_parse_file(tb, path);
  }
}

}  // namespace

int on_parse_error(libmnt_table* tb, const char* filename, int line) {
  auto* ctx = static_cast<Context*>(mnt_table_get_userdata(tb));
  cli::warnx(
      cli::cformat(cli::ul("%s: parse error at line %d -- ignored"), filename ? filename : "(null)", line));
  ++ctx->parse_errors;
  return 1;  // ignore the line and go on, as findmnt does
}

MntTable load_table(Context& ctx, TabType type) {
  MntTable tb(mnt_new_table());
  if (!tb) {
    cli::warn(cli::ul("failed to initialize libmount table"), errno);
    return nullptr;
  }
  mnt_table_set_parser_errcb(tb.get(), on_parse_error);
  mnt_table_set_userdata(tb.get(), &ctx);
  const std::vector<std::string>& files = ctx.cfg.tabfiles;
  std::size_t n = files.empty() ? 1 : files.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char* path = files.empty() ? nullptr : files[i].c_str();
    errno = 0;
    int rc = parse_one(tb.get(), type, path);
    if (rc) {
      int err = errno ? errno : -rc;
      cli::warn(cli::cformat(cli::ul("can't read %s"), path ? path : "(null)"), err);
      return nullptr;
    }
  }
  return tb;
}

bool table_is_tree(libmnt_table* tb) {
  MntIter itr = new_iter(MNT_ITER_BACKWARD);
  libmnt_fs* fs = nullptr;
  return itr && mnt_table_next_fs(tb, itr.get(), &fs) == 0 && mnt_fs_is_kernel(fs) && mnt_fs_get_root(fs);
}

bool table_is_kernel(libmnt_table* tb) {
  MntIter itr = new_iter(MNT_ITER_BACKWARD);
  libmnt_fs* fs = nullptr;
  if (!itr) return false;
  while (mnt_table_next_fs(tb, itr.get(), &fs) == 0)
    if (!mnt_fs_is_kernel(fs)) return false;
  return true;
}

void cache_set_targets(libmnt_cache* cache) {
  MntTable tb(mnt_new_table());
  if (tb && mnt_table_parse_file(tb.get(), kernel_default_path()) == 0)
    mnt_cache_set_targets(cache, tb.get());
}

}  // namespace findmnt

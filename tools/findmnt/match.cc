// SPDX-License-Identifier: GPL-2.0-or-later
#include "match.h"

#include <cstdlib>
#include <cstring>

namespace findmnt {
namespace {

// The filters proper, without -i.
bool passes_filters(libmnt_fs* fs, Context& ctx) {
  const Match& m = ctx.match;
  if (m.id && mnt_fs_get_id(fs) != *m.id) return false;
  if (m.uniq_id) {
    auto it = ctx.uniq_ids.find(fs);
    if (it == ctx.uniq_ids.end() || it->second != *m.uniq_id) return false;
  }
  if (m.fstype && !mnt_fs_match_fstype(fs, m.fstype->c_str())) return false;
  if (m.options && !mnt_fs_match_options(fs, m.options->c_str())) return false;
  if (m.majmin && mnt_fs_get_devno(fs) != *m.majmin) return false;
  if (m.target && !mnt_fs_match_target(fs, m.target->c_str(), ctx.cache.get())) return false;
  if (m.source && !mnt_fs_match_source(fs, m.source->c_str(), ctx.cache.get())) return false;
  return true;
}

// -D, --real, --pseudo, --shadowed. Returns the result for -D's "tmpfs is always wanted" shortcut too.
std::optional<bool> kind_filter(libmnt_fs* fs, const Config& cfg) {
  if (cfg.df && !cfg.all) {
    const char* type = mnt_fs_get_fstype(fs);
    if (type && std::strstr(type, "tmpfs")) return true;  // df(1) shows tmpfs
    if (mnt_fs_is_pseudofs(fs)) return false;
  }
  if (cfg.real && mnt_fs_is_pseudofs(fs)) return false;
  if (cfg.pseudo && !mnt_fs_is_pseudofs(fs)) return false;
  if (cfg.shadowed) {
    libmnt_table* tb = nullptr;
    mnt_fs_get_table(fs, &tb);
    if (tb && mnt_table_over_fs(tb, fs, nullptr) != 0) return false;
  }
  return std::nullopt;
}

int match_cb(libmnt_fs* fs, void* data) {
  return match_fs(fs, *static_cast<Context*>(data)) ? 1 : 0;
}

bool is_mount_compatible_mode(const Context& ctx) {
  const Match& m = ctx.match;
  if (!m.source) return false;
  if (m.fstype || m.options || m.id || m.uniq_id) return false;
  return ctx.cfg.first_only;
}

}  // namespace

bool is_listall_mode(const Config& cfg, const Match& m) {
  if ((cfg.df || cfg.real || cfg.pseudo) && !cfg.all) return false;
  return !m.source && !m.target && !m.fstype && !m.options && !m.majmin && !m.id && !m.uniq_id;
}

bool match_fs(libmnt_fs* fs, Context& ctx) {
  const bool invert = ctx.cfg.invert;
  if (!passes_filters(fs, ctx)) return invert;
  if (auto kind = kind_filter(fs, ctx.cfg)) return *kind != invert;
  return !invert;
}

libmnt_fs* next_fs(libmnt_table* tb, libmnt_iter* itr, Context& ctx) {
  libmnt_fs* fs = nullptr;
  if (is_listall_mode(ctx.cfg, ctx.match)) {
    return mnt_table_next_fs(tb, itr, &fs) == 0 ? fs : nullptr;
  }
  if (is_mount_compatible_mode(ctx)) {
    // findmnt -f <spec>: look it up the way mount(8) searches fstab
    fs = mnt_table_find_source(tb, ctx.match.source->c_str(), mnt_iter_get_direction(itr));
    if (!fs && !ctx.cfg.noswapmatch)
      fs = mnt_table_find_target(tb, ctx.match.source->c_str(), mnt_iter_get_direction(itr));
    return fs;
  }
  for (;;) {
    if (mnt_table_find_next_fs(tb, itr, match_cb, &ctx, &fs) != 0) fs = nullptr;
    if (fs || ctx.cfg.noswapmatch || ctx.match.target || !ctx.match.source) return fs;
    // Nothing has it as a source: the positional argument may be a mount point.
    ctx.match.target = std::move(ctx.match.source);
    ctx.match.source.reset();
    mnt_reset_iter(itr, -1);
  }
}

void enable_extra_target_match(libmnt_table* tb, Context& ctx) {
  std::string tgt = *ctx.match.target;
  if (!ctx.cfg.nocache) {
    char* resolved = mnt_resolve_path(tgt.c_str(), ctx.cache.get());
    if (!resolved) return;
    tgt = resolved;  // owned by the cache
  }
  libmnt_fs* fs = mnt_table_find_mountpoint(tb, tgt.c_str(), MNT_ITER_BACKWARD);
  const char* mnt = fs ? mnt_fs_get_target(fs) : nullptr;
  if (mnt && tgt != mnt) ctx.match.target = mnt;
}

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
#include "poll_mode.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>

#include "cli/diag.h"
#include "cli/i18n.h"
#include "match.h"
#include "render.h"
#include "tables.h"

namespace findmnt {
namespace {

bool wanted_action(const Config& cfg, int change) {
  return cfg.poll_actions.empty() ||
         std::find(cfg.poll_actions.begin(), cfg.poll_actions.end(), change) != cfg.poll_actions.end();
}

// `findmnt --poll /foo`: /foo may be a source or a target, so try both.
bool poll_match(libmnt_fs* fs, Context& ctx) {
  bool ok = match_fs(fs, ctx);
  if (!ok && !ctx.cfg.noswapmatch && ctx.match.source && !ctx.match.target) {
    ctx.match.target = std::move(ctx.match.source);
    ctx.match.source.reset();
    ok = match_fs(fs, ctx);
    ctx.match.source = std::move(ctx.match.target);
    ctx.match.target.reset();
  }
  return ok;
}

// Adds a row per wanted change between two tables; returns how many.
int add_changes(Context& ctx, libmnt_tabdiff* diff, libmnt_iter* itr, Renderer& renderer) {
  int count = 0;
  libmnt_fs* old_fs = nullptr;
  libmnt_fs* new_fs = nullptr;
  int change = 0;
  mnt_reset_iter(itr, ctx.direction());
  while (mnt_tabdiff_next_change(diff, itr, &old_fs, &new_fs, &change) == 0) {
    if (!wanted_action(ctx.cfg, change)) continue;
    if (!poll_match(new_fs ? new_fs : old_fs, ctx)) continue;
    ++count;
    renderer.add_change(old_fs, new_fs, change);
    if (ctx.cfg.first_only) break;
  }
  return count;
}

}  // namespace

bool poll_table(Context& ctx, MntTable tb, const std::string& tabfile, detach::output::Table& out) {
  MntTable tb_new(mnt_new_table());
  if (!tb_new) return cli::warn(cli::ul("failed to initialize libmount table"), errno), false;
  MntIter itr = new_iter(ctx.direction());
  if (!itr) return cli::warn(cli::ul("failed to initialize libmount iterator"), errno), false;
  MntTabdiff diff(mnt_new_tabdiff());
  if (!diff) return cli::warn(cli::ul("failed to initialize libmount tabdiff"), errno), false;
  // the cache only slows change detection down
  mnt_table_set_cache(tb.get(), nullptr);
  mnt_table_set_cache(tb_new.get(), nullptr);
  File f(std::fopen(tabfile.c_str(), "r"));
  if (!f) return cli::warn(cli::cformat(cli::ul("cannot open %s"), tabfile.c_str()), errno), false;
  mnt_table_set_parser_errcb(tb_new.get(), on_parse_error);
  mnt_table_set_userdata(tb_new.get(), &ctx);
  pollfd fds[1] = {{fileno(f.get()), POLLPRI, 0}};
  Renderer renderer(ctx, out);
  for (;;) {
    int n = ::poll(fds, 1, ctx.cfg.timeout);
    if (n == 0) break;  // timeout
    if (n < 0) return cli::warn(cli::ul("poll() failed"), errno), false;
    std::rewind(f.get());
    int rc = mnt_table_parse_stream(tb_new.get(), f.get(), tabfile.c_str());
    if (!rc) rc = mnt_diff_tables(diff.get(), tb.get(), tb_new.get());
    if (rc < 0) return false;
    int count = add_changes(ctx, diff.get(), itr.get(), renderer);
    if (count) {
      if (out.print_lines() != 0) return false;
      std::fflush(stdout);
    }
    std::swap(tb, tb_new);
    out.remove_lines();  // printed: free them
    mnt_reset_table(tb_new.get());
    if (count && ctx.cfg.first_only) break;
  }
  return true;
}

}  // namespace findmnt

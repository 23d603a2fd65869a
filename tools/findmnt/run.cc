// SPDX-License-Identifier: GPL-2.0-or-later
#include "run.h"

#include <cstdlib>

#include "cli/diag.h"
#include "cli/i18n.h"
#include "detached.h"
#include "listmount_table.h"
#include "match.h"
#include "poll_mode.h"
#include "render.h"
#include "tables.h"
#include "verify.h"

namespace findmnt {
namespace {

#ifdef DETACH_SANITIZED
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// Two entries with the same mount point are duplicates for -U.
int same_target(libmnt_table* tb, libmnt_fs* a, libmnt_fs* b) {
  auto* ctx = static_cast<Context*>(mnt_table_get_userdata(tb));
  return !mnt_fs_match_target(a, mnt_fs_get_target(b), ctx->cache.get());
}

// Tree output needs one kernel table with parent links; --tree forces it back on when possible.
void settle_tree(Context& ctx, libmnt_table* tb) {
  Config& cfg = ctx.cfg;
  bool istree = table_is_tree(tb);
  if (istree && cfg.force_tree) cfg.tree = true;
  if (cfg.tree && (cfg.tabfiles.size() > 1 || !istree)) cfg.tree = false;
}

bool setup_cache(Context& ctx, libmnt_table* tb, TabType tabtype) {
  if (ctx.cfg.nocache) return true;
  ctx.cache.reset(mnt_new_cache());
  if (!ctx.cache) {
    cli::warn(cli::ul("failed to initialize libmount cache"), errno);
    return false;
  }
  mnt_table_set_cache(tb, ctx.cache.get());
  if (tabtype != TabType::Kernel) cache_set_targets(ctx.cache.get());
  return true;
}

// Fills and prints the output table; false when nothing matched or output failed.
bool print_entries(Context& ctx, MntTable tb, TabType tabtype) {
  std::optional<detach::output::Table> out = make_output_table(ctx);
  if (!out) return false;
  const Config& cfg = ctx.cfg;
  if (cfg.poll) {
    std::string file = cfg.tabfiles.empty() ? "/proc/self/mountinfo" : cfg.tabfiles[0];
    return poll_table(ctx, std::move(tb), file, *out);
  }
  Renderer renderer(ctx, *out);
  bool ok;
  if (cfg.tree && !cfg.submounts) {
    ok = renderer.add_tree(tb.get());
  } else {
    ok = renderer.add_matching(tb.get());
    // Nothing found: --target may name a file or directory below a mount point.
    if (!ok && tabtype == TabType::Kernel && ctx.cfg.noswapmatch && !cfg.strict_target && ctx.match.target) {
      enable_extra_target_match(tb.get(), ctx);
      ok = renderer.add_matching(tb.get());
    }
  }
  if (ok) out->print();
  // The run ends here. Freeing 10,000 output lines and libmount entries one by one costs 4% of the whole run
  // (util-linux does it); the kernel takes the memory back at exit for nothing. A sanitized build frees them,
  // so that LeakSanitizer tells a real leak from this one.
  if (!kSanitized) {
    out->release();
    (void)tb.release();
  }
  return ok;
}

}  // namespace

int run_mount_table(Context& ctx) {
  mnt_init_debug(0);
  TabType tabtype = ctx.cfg.tabtype;
  const bool listmount = tabtype == TabType::Kernel && ctx.cfg.kernel_method == KernelMethod::Listmount;
  MntTable tb = listmount ? load_listmount_table(ctx) : load_table(ctx, tabtype);
  if (!tb) return EXIT_FAILURE;
  if (tabtype == TabType::Mtab && table_is_kernel(tb.get())) tabtype = TabType::Kernel;
  settle_tree(ctx, tb.get());
  if (!setup_cache(ctx, tb.get(), tabtype)) return EXIT_FAILURE;
  if (ctx.cfg.uniq) mnt_table_uniq_fs(tb.get(), MNT_UNIQ_KEEPTREE, same_target);
  if (ctx.cfg.verify) return verify_table(ctx, tb.get());
  if (print_entries(ctx, std::move(tb), tabtype)) return EXIT_SUCCESS;
  // The live kernel table lacked the device: it may still be held by a detached mount.
  if (tabtype == TabType::Kernel && ctx.cfg.tabfiles.empty() && !ctx.cfg.poll) hint_detached_holders(ctx);
  return EXIT_FAILURE;
}

}  // namespace findmnt

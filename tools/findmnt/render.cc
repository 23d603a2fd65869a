// SPDX-License-Identifier: GPL-2.0-or-later
#include "render.h"

#include <cstdlib>

#include "base/i18n.h"
#include "cells.h"
#include "cli/diag.h"
#include "cli/i18n.h"
#include "match.h"

namespace findmnt {

using detach::output::Line;
using detach::output::Table;

std::optional<Table> make_output_table(const Context& ctx) {
  const Config& cfg = ctx.cfg;
  Table table;
  if (!table.valid()) {
    cli::warn(cli::ul("failed to allocate output table"), errno);
    return std::nullopt;
  }
  table.set_style({.raw = cfg.raw,
                   .json = cfg.json,
                   .pairs = cfg.pairs,
                   .shellvar = cfg.shellvar,
                   .ascii = cfg.ascii,
                   .noheadings = cfg.noheadings});
  if (cfg.json) table.set_name("filesystems");
  for (std::size_t i = 0; i < cfg.columns.size(); ++i) {
    const Column col = cfg.columns[i];
    const ColumnSpec& spec = column_spec(col);
    int flags = spec.info.flags;
    if (!cfg.tree) flags &= ~fl::kTree;
    if (cfg.notruncate) flags &= ~fl::kTrunc;
    if (!cfg.poll && spec.scope == Scope::Poll) {
      cli::warnx(cli::cformat(cli::ul("%s column is requested, but --poll is not enabled"),
                              std::string(spec.info.name).c_str()));
      return std::nullopt;
    }
    if (!cfg.detached && spec.scope == Scope::Detached) {
      cli::warnx(detach::trf("{0} column is requested, but --detached is not enabled", spec.info.name));
      return std::nullopt;
    }
    // A detached mount's pinners hang under it; the first column draws that tree.
    if (cfg.detached) flags = (flags & ~fl::kTree) | (cfg.tree && i == 0 ? fl::kTree : 0);
    bool ok = cfg.json
                  ? table.add_column(spec.info.name, spec.info.width_hint, flags, json_type(col, cfg.bytes))
                  : table.add_column(spec.info.name, spec.info.width_hint, flags);
    if (!ok) {
      cli::warn(cli::ul("failed to allocate output column"), errno);
      return std::nullopt;
    }
  }
  return table;
}

Line Renderer::add_line(libmnt_fs* fs, Line parent) {
  Line line = out_.new_line(parent);
  if (!line.valid()) {
    cli::warn(cli::ul("failed to allocate output line"), errno);
    std::exit(EXIT_FAILURE);
  }
  const std::vector<Column>& columns = ctx_.cfg.columns;
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (CellText text = cell_text(fs, columns[i], ctx_)) line.take(i, text.release());
  return line;
}

void Renderer::add_change(libmnt_fs* old_fs, libmnt_fs* new_fs, int change) {
  Line line = out_.new_line();
  const std::vector<Column>& columns = ctx_.cfg.columns;
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (CellText text = tabdiff_cell_text(old_fs, new_fs, change, columns[i], ctx_))
      line.take(i, text.release());
}

// util-linux's create_treenode(): `fs` and its children, depth first, matching entries only (with -R, all).
bool Renderer::add_subtree(libmnt_table* tb, libmnt_fs* fs, Line parent) {
  if (ctx_.cfg.submounts && shown_.count(fs)) return true;
  // A loop in the parent links would recurse for ever (util-linux's findmnt does): stop there. An entry
  // reached twice otherwise (below two entries with one id) is shown twice, as util-linux shows it.
  if (!on_path_.insert(fs).second) return false;
  Line line = parent;
  if (ctx_.cfg.submounts || match_fs(fs, ctx_)) {
    line = add_line(fs, parent);
    shown_.insert(fs);
  }
  if (!children_) children_.emplace(tb);
  bool ok = true;
  for (libmnt_fs* child : children_->of(fs))
    if (!(ok = add_subtree(tb, child, line))) break;
  on_path_.erase(fs);
  return ok;
}

bool Renderer::add_tree(libmnt_table* tb) {
  libmnt_fs* root = nullptr;
  if (mnt_table_get_root_fs(tb, &root) != 0) return false;
  bool ok = add_subtree(tb, root, Line());
  // Entries the walk from the root did not reach (another root, a broken parent link) become roots too.
  if (ok && static_cast<std::size_t>(mnt_table_get_nents(tb)) > out_.line_count()) {
    MntIter itr = new_iter(MNT_ITER_FORWARD);
    libmnt_fs* fs = nullptr;
    while (itr && mnt_table_next_fs(tb, itr.get(), &fs) == 0)
      if (!shown_.count(fs) && match_fs(fs, ctx_)) add_subtree(tb, fs, Line());
  }
  return ok;
}

bool Renderer::add_matching(libmnt_table* tb) {
  MntIter itr = new_iter(ctx_.direction());
  if (!itr) {
    cli::warn(cli::ul("failed to initialize libmount iterator"), errno);
    return false;
  }
  int nlines = 0;
  bool ok = false;
  while (libmnt_fs* fs = next_fs(tb, itr.get(), ctx_)) {
    if (ctx_.cfg.tree || ctx_.cfg.submounts)
      ok = add_subtree(tb, fs, Line());
    else
      ok = add_line(fs, Line()).valid();
    if (!ok) return false;
    ++nlines;
    if (ctx_.cfg.first_only) break;
    ctx_.cfg.noswapmatch = true;  // after a first match, never retry the source as a target
  }
  return nlines > 0;
}

}  // namespace findmnt

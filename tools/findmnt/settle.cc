// SPDX-License-Identifier: GPL-2.0-or-later
#include "settle.h"

#include <cstdlib>

#include "base/i18n.h"
#include "cli/diag.h"
#include "cli/i18n.h"
#include "explain/printable.h"
#include "match.h"
#include "options.h"

namespace findmnt {
namespace {

void default_columns(Config& cfg) {
  if (cfg.output_all) {
    for (const ColumnSpec& spec : kColumns) {
      // Newer columns stay out of --output-all so a 2.38 script sees the same columns.
      bool wanted = cfg.detached ? spec.scope != Scope::Poll : spec.scope == Scope::Always;
      if (wanted) cfg.columns.push_back(spec.id);
    }
  }
  if (cfg.columns.empty() && cfg.df) {
    cfg.columns = {Column::Source, Column::Fstype,  Column::Size,  Column::Used,
                   Column::Avail,  Column::Useperc, Column::Target};
  }
  if (cfg.columns.empty() && cfg.detached && cfg.poll) {
    cfg.columns = {Column::Action, Column::UniqId, Column::Source,
                   Column::Fstype, Column::Target, Column::Pinners};
  }
  if (cfg.columns.empty() && cfg.detached) {
    // A list shows the pinners in one cell; the tree gives each pinner a child row.
    if (cfg.tree)
      cfg.columns = {Column::Source, Column::Majmin,  Column::Fstype, Column::UniqId, Column::Target,
                     Column::Pid,    Column::Command, Column::User,   Column::Unit,   Column::How};
    else
      cfg.columns = {Column::UniqId, Column::Source, Column::Majmin,
                     Column::Fstype, Column::Target, Column::Pinners};
  }
  if (cfg.columns.empty()) {
    if (cfg.poll) cfg.columns.push_back(Column::Action);
    for (Column c : {Column::Target, Column::Source, Column::Fstype, Column::Options})
      cfg.columns.push_back(c);
  }
}

// A positional source that is a tag cannot be a mount point: never retry it as a target.
bool is_tag(const std::string& s) {
  return s.starts_with("LABEL=") || s.starts_with("UUID=") || s.starts_with("PARTLABEL=") ||
         s.starts_with("PARTUUID=");
}

std::optional<int> apply_positionals(Config& cfg) {
  std::vector<std::string>& pos = cfg.positionals;
  // util-linux checks the source and target texts only: `-S 8:1 /dev/sda` passes (MAJ:MIN is another field)
  if (!pos.empty() && (cfg.match.source || cfg.match.target)) {
    cli::warnx(cli::ul(
        "options --target and --source can't be used together with command line element that is not an "
        "option"));
    return EXIT_FAILURE;
  }
  if (pos.size() > 0) apply_source_positional(pos[0], cfg);
  if (pos.size() > 1) cfg.match.target = pos[1];
  return std::nullopt;
}

// Positionals become filters, and the filters decide between tree and list, as in util-linux.
std::optional<int> settle_view(Config& cfg) {
  if (auto code = apply_positionals(cfg)) return code;
  const Match& m = cfg.match;
  if (cfg.submounts && is_listall_mode(cfg, m)) cfg.submounts = false;  // every mount is listed anyway
  if (!cfg.submounts && (cfg.first_only || m.target || m.source || m.majmin)) cfg.tree = false;
  return std::nullopt;
}

}  // namespace

std::optional<int> settle_config(Config& cfg) {
  if (cfg.per_pin && !cfg.detached) {
    cli::warnx(detach::tr("--per-pin requires --detached"));
    return EXIT_FAILURE;
  }
  // --detached's default columns depend on the view (pinner rows in a tree, a PINNERS cell in a list), so its
  // view is settled first; util-linux settles it after the columns, and its errors come in that order.
  if (cfg.detached) {
    if (auto code = settle_view(cfg)) return code;
    if (cfg.force_tree) cfg.tree = true;  // detached mounts always make a tree, as --tree asks
  }
  default_columns(cfg);
  if (cfg.output_arg) {
    if (auto err = parse_column_list(*cfg.output_arg, cfg.columns)) {
      if (!err->empty()) cli::warnx(detach::printable(*err));  // the user's text, kept on one line
      return EXIT_FAILURE;
    }
  }
  if (cfg.tabtype == TabType::Unset) cfg.tabtype = cfg.verify ? TabType::Fstab : TabType::Kernel;
  if (cfg.poll && cfg.tabfiles.size() > 1) {
    cli::warnx(cli::ul("--poll accepts only one file, but more specified by --tab-file"));
    return EXIT_FAILURE;
  }
  if (!cfg.tabfiles.empty() && cfg.tabtype == TabType::Kernel &&
      cfg.kernel_method == KernelMethod::Listmount) {
    cli::warnx(detach::tr("options --kernel=listmount and --tab-file or --task can't be used together"));
    return EXIT_FAILURE;
  }
  if (!cfg.detached)
    if (auto code = settle_view(cfg)) return code;
  if (!cfg.noswapmatch && !cfg.match.target && cfg.match.source && is_tag(*cfg.match.source))
    cfg.noswapmatch = true;
  return std::nullopt;
}

}  // namespace findmnt

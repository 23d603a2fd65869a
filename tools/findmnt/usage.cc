// SPDX-License-Identifier: GPL-2.0-or-later
#include "usage.h"

#include <cstdio>
#include <string>

#include "base/i18n.h"
#include "cli/closestream.h"
#include "cli/diag.h"
#include "cli/i18n.h"
#include "columns.h"
#include "output/table.h"

namespace findmnt {
namespace {

// util-linux 2.38.1's option lines, each one msgid of its catalog, byte for byte; "\n" is a blank line.
// Some span two lines (adjacent literals), as util-linux writes them.
// NOLINTBEGIN(bugprone-suspicious-missing-comma)
constexpr const char* kUpstreamOptions[] = {
    " -s, --fstab            search in static table of filesystems\n",
    " -m, --mtab             search in table of mounted filesystems\n"
    "                          (includes user space mount options)\n",
    " -k, --kernel           search in kernel table of mounted\n"
    "                          filesystems (default)\n",
    "\n",
    " -p, --poll[=<list>]    monitor changes in table of mounted filesystems\n",
    " -w, --timeout <num>    upper limit in milliseconds that --poll will block\n",
    "\n",
    " -A, --all              disable all built-in filters, print all filesystems\n",
    " -a, --ascii            use ASCII chars for tree formatting\n",
    " -b, --bytes            print sizes in bytes rather than in human readable format\n",
    " -C, --nocanonicalize   don't canonicalize when comparing paths\n",
    " -c, --canonicalize     canonicalize printed paths\n",
    " -D, --df               imitate the output of df(1)\n",
    " -d, --direction <word> direction of search, 'forward' or 'backward'\n",
    " -e, --evaluate         convert tags (LABEL,UUID,PARTUUID,PARTLABEL) \n"
    "                          to device names\n",
    " -F, --tab-file <path>  alternative file for -s, -m or -k options\n",
    " -f, --first-only       print the first found filesystem only\n",
    " -i, --invert           invert the sense of matching\n",
    " -J, --json             use JSON output format\n",
    " -l, --list             use list format output\n",
    " -N, --task <tid>       use alternative namespace (/proc/<tid>/mountinfo file)\n",
    " -n, --noheadings       don't print column headings\n",
    " -O, --options <list>   limit the set of filesystems by mount options\n",
    " -o, --output <list>    the output columns to be shown\n",
    "     --output-all       output all available columns\n",
    " -P, --pairs            use key=\"value\" output format\n",
    "     --pseudo           print only pseudo-filesystems\n",
    "     --shadowed         print only filesystems over-mounted by another filesystem\n",
    " -R, --submounts        print all submounts for the matching filesystems\n",
    " -r, --raw              use raw output format\n",
    "     --real             print only real filesystems\n",
    " -S, --source <string>  the device to mount (by name, maj:min, \n"
    "                          LABEL=, UUID=, PARTUUID=, PARTLABEL=)\n",
    " -T, --target <path>    the path to the filesystem to use\n",
    "     --tree             enable tree format output if possible\n",
    " -M, --mountpoint <dir> the mountpoint directory\n",
    " -t, --types <list>     limit the set of filesystems by FS types\n",
    " -U, --uniq             ignore filesystems with duplicate target\n",
    " -u, --notruncate       don't truncate text in columns\n",
    " -v, --nofsroot         don't print [/dir] for bind or btrfs mounts\n",
    " -y, --shell            use column names to be usable as shell variable identifiers\n",
    "\n",
    " -x, --verify           verify mount table content (default is fstab)\n",
    "     --verbose          print more details\n",
    "     --vfs-all          print all VFS options\n",
};
// NOLINTEND(bugprone-suspicious-missing-comma)

// Ours (and upstream's later releases, in other words): after util-linux's, before -h and -V.
constexpr const char* kNewerOptions[] = {
    detach::N_("     --kernel=<method>  read the kernel table through mountinfo or listmount\n"),
    detach::N_("     --id <num>         filter by mount node ID\n"),
    detach::N_("     --uniq-id <num>    filter by mount node 64-bit ID\n"),
    detach::N_("     --detached         list lazily unmounted filesystems that are still pinned, and their "
               "pinners\n"),
    detach::N_("     --per-pin          with --detached, a row for each pin instead of each pinner\n"),
    detach::N_(" -H, --list-columns     list the available columns\n"),
};

}  // namespace

// util-linux 2.38.1's usage(), piece by piece as it looks each piece up, with our options after its own.
void print_usage() {
  std::string text = cli::ul("\nUsage:\n");
  text +=
      cli::cformat(cli::ul(" %1$s [options]\n"
                           " %1$s [options] <device> | <mountpoint>\n"
                           " %1$s [options] <device> <mountpoint>\n"
                           " %1$s [options] [--source <device>] [--target <path> | --mountpoint <dir>]\n"),
                   cli::program_name().c_str());
  text += "\n";
  text += cli::ul("Find a (mounted) filesystem.\n");
  text += cli::ul("\nOptions:\n");
  for (const char* line : kUpstreamOptions) text += line[0] == '\n' ? line : cli::ul(line);
  std::size_t ours = 0;  // bytes util-linux does not print
  for (const char* line : kNewerOptions) {
    const std::string translated = detach::tr(line);
    text += translated, ours += translated.size();
  }
  text += cli::cformat("\n%-24s%s\n%-24s%s\n", " -h, --help", cli::ul("display this help"), " -V, --version",
                       cli::ul("display version"));
  text += cli::ul("\nAvailable output columns:\n");
  for (const ColumnSpec& spec : kColumns) {
    const std::string line =
        cli::cformat(" %11s  %s\n", std::string(spec.info.name).c_str(), column_help(spec));
    text += line;
    if (spec.scope != Scope::Always && spec.scope != Scope::Poll) ours += line.size();
  }
  text += cli::cformat(cli::ul("\nFor more details see %s.\n"), "findmnt(8)");
  cli::print_help(text, ours);
}

// Scripts parse this line: it starts as util-linux's does, with the release whose behaviour we reproduce, and
// ends with ours, so that one can tell which findmnt is installed.
void print_version() {
  std::printf("%s\n", cli::util_linux_version_line().c_str());
}

namespace {
std::string_view type_name(const ColumnSpec& spec) {
  switch (spec.id) {
    case Column::Size:
    case Column::Avail:
    case Column::Used:
      return "<string|number>";
    default:
      break;
  }
  switch (spec.info.json) {
    case JsonType::Number:
      return "<integer>";
    case JsonType::Boolean:
      return "<boolean>";
    default:  // strings, and arrays of strings
      return "<string>";
  }
}
}  // namespace

int list_columns(const Config& cfg) {
  detach::output::Table table;
  table.set_style({.raw = cfg.raw, .json = cfg.json, .noheadings = !cfg.json});
  table.set_name("findmnt-columns");
  table.add_column("NAME", 0, fl::kRight);
  table.add_column("TYPE", 0, 0);
  table.add_column("DESCRIPTION", 0, fl::kTrunc);
  for (const ColumnSpec& spec : kColumns) {
    detach::output::Line line = table.new_line();
    line.set(0, spec.info.name);
    line.set(1, type_name(spec));
    line.set(2, column_help(spec));
  }
  return table.print() == 0 ? 0 : 1;
}

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
#include "usage.h"

#include <cstdio>

#include "base/version.h"
#include "cli/diag.h"
#include "columns.h"
#include "output/table.h"

namespace findmnt {
namespace {

// util-linux 2.38.1's text, byte for byte; lines marked "newer" are ours (and upstream's later releases).
constexpr const char* kOptionsHelp =
    "\nFind a (mounted) filesystem.\n"
    "\nOptions:\n"
    " -s, --fstab            search in static table of filesystems\n"
    " -m, --mtab             search in table of mounted filesystems\n"
    "                          (includes user space mount options)\n"
    " -k, --kernel           search in kernel table of mounted\n"
    "                          filesystems (default)\n"
    "\n"
    " -p, --poll[=<list>]    monitor changes in table of mounted filesystems\n"
    " -w, --timeout <num>    upper limit in milliseconds that --poll will block\n"
    "\n"
    " -A, --all              disable all built-in filters, print all filesystems\n"
    " -a, --ascii            use ASCII chars for tree formatting\n"
    " -b, --bytes            print sizes in bytes rather than in human readable format\n"
    " -C, --nocanonicalize   don't canonicalize when comparing paths\n"
    " -c, --canonicalize     canonicalize printed paths\n"
    " -D, --df               imitate the output of df(1)\n"
    " -d, --direction <word> direction of search, 'forward' or 'backward'\n"
    " -e, --evaluate         convert tags (LABEL,UUID,PARTUUID,PARTLABEL) \n"
    "                          to device names\n"
    " -F, --tab-file <path>  alternative file for -s, -m or -k options\n"
    " -f, --first-only       print the first found filesystem only\n"
    " -i, --invert           invert the sense of matching\n"
    " -J, --json             use JSON output format\n"
    " -l, --list             use list format output\n"
    " -N, --task <tid>       use alternative namespace (/proc/<tid>/mountinfo file)\n"
    " -n, --noheadings       don't print column headings\n"
    " -O, --options <list>   limit the set of filesystems by mount options\n"
    " -o, --output <list>    the output columns to be shown\n"
    "     --output-all       output all available columns\n"
    " -P, --pairs            use key=\"value\" output format\n"
    "     --pseudo           print only pseudo-filesystems\n"
    "     --shadowed         print only filesystems over-mounted by another filesystem\n"
    " -R, --submounts        print all submounts for the matching filesystems\n"
    " -r, --raw              use raw output format\n"
    "     --real             print only real filesystems\n"
    " -S, --source <string>  the device to mount (by name, maj:min, \n"
    "                          LABEL=, UUID=, PARTUUID=, PARTLABEL=)\n"
    " -T, --target <path>    the path to the filesystem to use\n"
    "     --tree             enable tree format output if possible\n"
    " -M, --mountpoint <dir> the mountpoint directory\n"
    " -t, --types <list>     limit the set of filesystems by FS types\n"
    " -U, --uniq             ignore filesystems with duplicate target\n"
    " -u, --notruncate       don't truncate text in columns\n"
    " -v, --nofsroot         don't print [/dir] for bind or btrfs mounts\n"
    " -y, --shell            use column names to be usable as shell variable identifiers\n"
    "\n"
    " -x, --verify           verify mount table content (default is fstab)\n"
    "     --verbose          print more details\n"
    "     --vfs-all          print all VFS options\n"
    // newer: from here to the blank line
    "     --kernel=<method>  read the kernel table through mountinfo or listmount\n"
    "     --id <num>         filter by mount node ID\n"
    "     --uniq-id <num>    filter by mount node 64-bit ID\n"
    "     --detached         list lazily unmounted filesystems that are still pinned, and their pinners\n"
    "     --per-pin          with --detached, a row for each pin instead of each pinner\n"
    " -H, --list-columns     list the available columns\n"
    "\n"
    " -h, --help             display this help\n"
    " -V, --version          display version\n";

}  // namespace

void print_usage() {
  // Our help is longer than 2.38's (the newer options); a buffer that holds all of it makes a write error
  // show at the final flush, with its reason, as util-linux's shorter help does. Nothing was printed before
  // --help.
  static char buffer[16384];
  std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  const char* p = cli::program_name().c_str();
  std::printf("\nUsage:\n");
  std::printf(" %s [options]\n %s [options] <device> | <mountpoint>\n %s [options] <device> <mountpoint>\n",
              p, p, p);
  std::printf(" %s [options] [--source <device>] [--target <path> | --mountpoint <dir>]\n", p);
  std::fputs(kOptionsHelp, stdout);
  std::printf("\nAvailable output columns:\n");
  for (const ColumnSpec& spec : kColumns) {
    std::string name(spec.info.name), help(spec.info.help);
    std::printf(" %11s  %s\n", name.c_str(), help.c_str());
  }
  std::printf("\nFor more details see findmnt(8).\n");
}

// Scripts parse this line: it starts as util-linux's does, with the release whose behaviour we reproduce, and
// ends with ours, so that one can tell which findmnt is installed.
void print_version() {
  std::printf("%s\n", detach::version_line(cli::program_name() + " from util-linux 2.38.1").c_str());
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
    line.set(2, spec.info.help);
  }
  return table.print() == 0 ? 0 : 1;
}

}  // namespace findmnt

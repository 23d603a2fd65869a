// SPDX-License-Identifier: GPL-2.0-or-later
#include "usage.h"

#include <cstdio>

#include "base/i18n.h"
#include "cli/closestream.h"
#include "cli/diag.h"
#include "cli/i18n.h"

namespace umount_tool {

namespace {

// util-linux 2.38.1's option lines, each one msgid of its catalog, byte for byte.
// Some span two lines (adjacent literals), as util-linux writes them.
// NOLINTBEGIN(bugprone-suspicious-missing-comma)
constexpr const char* kUpstreamOptions[] = {
    " -a, --all               unmount all filesystems\n",
    " -A, --all-targets       unmount all mountpoints for the given device in the\n"
    "                           current namespace\n",
    " -c, --no-canonicalize   don't canonicalize paths\n",
    " -d, --detach-loop       if mounted loop device, also free this loop device\n",
    "     --fake              dry run; skip the umount(2) syscall\n",
    " -f, --force             force unmount (in case of an unreachable NFS system)\n",
    " -i, --internal-only     don't call the umount.<type> helpers\n",
    " -n, --no-mtab           don't write to /etc/mtab\n",
    " -l, --lazy              detach the filesystem now, clean up things later\n",
    " -O, --test-opts <list>  limit the set of filesystems (use with -a)\n",
    " -R, --recursive         recursively unmount a target with all its children\n",
    " -r, --read-only         in case unmounting fails, try to remount read-only\n",
    " -t, --types <list>      limit the set of filesystem types\n",
    " -v, --verbose           say what is being done\n",
    " -q, --quiet             suppress 'not mounted' error messages\n",
    " -N, --namespace <ns>    perform umount in another namespace\n",
};
// NOLINTEND(bugprone-suspicious-missing-comma)

}  // namespace

// util-linux 2.38.1's usage(), piece by piece as it looks each piece up, with our --wait after its options.
void print_usage() {
  std::string text = cli::ul("\nUsage:\n");
  text += cli::cformat(cli::ul(" %1$s [-hV]\n"
                               " %1$s -a [options]\n"
                               " %1$s [options] <source> | <directory>\n"),
                       cli::program_name().c_str());
  text += "\n";
  text += cli::ul("Unmount filesystems.\n");
  text += cli::ul("\nOptions:\n");
  for (const char* line : kUpstreamOptions) text += cli::ul(line);
  // newer: not in util-linux
  const std::string ours =
      detach::tr("     --wait[=<secs>]     return only when the filesystem is really gone\n");
  text += ours;
  text += cli::cformat("\n%-25s%s\n%-25s%s\n", " -h, --help", cli::ul("display this help"), " -V, --version",
                       cli::ul("display version"));
  text += cli::cformat(cli::ul("\nFor more details see %s.\n"), "umount(8)");
  cli::print_help(text, ours.size());
}

void print_version() {
  std::printf("%s\n", cli::util_linux_version_line().c_str());
}

}  // namespace umount_tool

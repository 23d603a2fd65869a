// SPDX-License-Identifier: GPL-2.0-or-later
#include "usage.h"

#include <cstdio>

#include "base/version.h"
#include "cli/diag.h"

namespace umount_tool {

void print_usage() {
  const char* p = cli::program_name().c_str();
  std::printf("\nUsage:\n");
  std::printf(" %s [-hV]\n %s -a [options]\n %s [options] <source> | <directory>\n", p, p, p);
  std::fputs(
      "\nUnmount filesystems.\n"
      "\nOptions:\n"
      " -a, --all               unmount all filesystems\n"
      " -A, --all-targets       unmount all mountpoints for the given device in the\n"
      "                           current namespace\n"
      " -c, --no-canonicalize   don't canonicalize paths\n"
      " -d, --detach-loop       if mounted loop device, also free this loop device\n"
      "     --fake              dry run; skip the umount(2) syscall\n"
      " -f, --force             force unmount (in case of an unreachable NFS system)\n"
      " -i, --internal-only     don't call the umount.<type> helpers\n"
      " -n, --no-mtab           don't write to /etc/mtab\n"
      " -l, --lazy              detach the filesystem now, clean up things later\n"
      " -O, --test-opts <list>  limit the set of filesystems (use with -a)\n"
      " -R, --recursive         recursively unmount a target with all its children\n"
      " -r, --read-only         in case unmounting fails, try to remount read-only\n"
      " -t, --types <list>      limit the set of filesystem types\n"
      " -v, --verbose           say what is being done\n"
      " -q, --quiet             suppress 'not mounted' error messages\n"
      " -N, --namespace <ns>    perform umount in another namespace\n"
      // newer: not in util-linux
      "     --wait[=<secs>]     return only when the filesystem is really gone\n"
      "\n"
      " -h, --help              display this help\n"
      " -V, --version           display version\n"
      "\nFor more details see umount(8).\n",
      stdout);
}

void print_version() {
  std::printf("%s\n", detach::version_line(cli::program_name() + " from util-linux 2.38.1").c_str());
}

}  // namespace umount_tool

// SPDX-License-Identifier: GPL-2.0-or-later
#include "usage.h"

#include "base/version.h"
#include "cli/signals.h"

namespace fuser {

std::string usage_text(const std::string& message) {
  std::string out = message.empty() ? "" : message + "\n";
  return out +
         "Usage: fuser [-fIMuvw] [-a|-s] [-4|-6] [-c|-m|-n SPACE]\n"
         "             [-k [-i] [-SIGNAL]] NAME...\n"
         "       fuser --detached [-kiuvw] [-SIGNAL] [NAME...]\n"
         "       fuser -l\n"
         "       fuser -V\n"
         "Show which processes use the named files, sockets, or filesystems.\n\n"
         "  -a,--all              display unused files too\n"
         "  -i,--interactive      ask before killing (ignored without -k)\n"
         "  -I,--inode            use always inodes to compare files\n"
         "  -k,--kill             kill processes accessing the named file\n"
         "  -l,--list-signals     list available signal names\n"
         "  -m,--mount            show all processes using the named filesystems or\n"
         "                        block device\n"
         "  -M,--ismountpoint     fulfill request only if NAME is a mount point\n"
         "  -n,--namespace SPACE  search in this name space (file, udp, or tcp)\n"
         "  -s,--silent           silent operation\n"
         "  -SIGNAL               send this signal instead of SIGKILL\n"
         "  -u,--user             display user IDs\n"
         "  -v,--verbose          verbose output\n"
         "  -w,--writeonly        kill only processes with write access\n"
         "  -V,--version          display version information\n"
         "  -4,--ipv4             search IPv4 sockets only\n"
         "  -6,--ipv6             search IPv6 sockets only\n"
         "  --detached            show the processes that keep lazily unmounted filesystems\n"
         "                        alive (all, or those of a device or former mount point)\n"
         "  udp/tcp names: [local_port][,[rmt_host][,[rmt_port]]]\n\n";
}

std::string version_text() {
  return detach::version_line("fuser (PSmisc) 23.6") +
         "\n"
         "Copyright (C) 1993-2022 Werner Almesberger and Craig Small\n\n"
         "PSmisc comes with ABSOLUTELY NO WARRANTY.\n"
         "This is free software, and you are welcome to redistribute it under\n"
         "the terms of the GNU General Public License.\n"
         "For more information about these matters, see the files named COPYING.\n";
}

std::string signal_list_text() {
  std::string out;
  std::size_t col = 0;
  for (const cli::SignalName& s : cli::standard_signals()) {
    if (col + s.name.size() + 1 > 80) {
      out += '\n';
      col = 0;
    }
    out += (col ? " " : "") + std::string(s.name);
    col += s.name.size() + 1;
  }
  return out + "\n";
}

}  // namespace fuser

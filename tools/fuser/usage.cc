// SPDX-License-Identifier: GPL-2.0-or-later
#include "usage.h"

#include "base/i18n.h"
#include "base/version.h"
#include "cli/i18n.h"
#include "cli/signals.h"

namespace fuser {

namespace {

// psmisc 23.6's usage, in the three msgids of its catalog (byte for byte).
constexpr const char* kUpstreamUsage =
    "Usage: fuser [-fIMuvw] [-a|-s] [-4|-6] [-c|-m|-n SPACE]\n"
    "             [-k [-i] [-SIGNAL]] NAME...\n"
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
    "  -V,--version          display version information\n";
constexpr const char* kUpstreamIpOptions =
    "  -4,--ipv4             search IPv4 sockets only\n"
    "  -6,--ipv6             search IPv6 sockets only\n";
constexpr const char* kUpstreamNames = "  udp/tcp names: [local_port][,[rmt_host][,[rmt_port]]]\n\n";

}  // namespace

std::string with_detached_synopsis(const std::string& usage) {
  std::size_t at = std::string::npos, name = 0;
  for (const char* l_line : {"fuser -l", "fuser [-l"}) {
    const std::size_t found = usage.find(l_line);
    if (found != std::string::npos && found < at) at = found;
  }
  std::size_t line_start = 0;
  if (at != std::string::npos) {
    line_start = usage.rfind('\n', at);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    name = at - line_start;
  } else {
    line_start = usage.find('\n');
    line_start = line_start == std::string::npos ? usage.size() : line_start + 1;
    name = 7;  // "Usage: "
  }
  const std::string line =
      std::string(name, ' ') + detach::tr("fuser --detached [-kiuvw] [-SIGNAL] [NAME...]\n");
  return usage.substr(0, line_start) + line + usage.substr(line_start);
}

std::string usage_text(const std::string& message) {
  std::string out = message.empty() ? "" : message + "\n";
  return out + with_detached_synopsis(cli::psmisc(kUpstreamUsage)) + cli::psmisc(kUpstreamIpOptions) +
         detach::tr(
             "  --detached            show the processes that keep lazily unmounted filesystems\n"
             "                        alive (all, or those of a device or former mount point)\n") +
         cli::psmisc(kUpstreamNames);
}

std::string version_text() {
  const std::string first = cli::without_newline(cli::cformat(cli::psmisc("fuser (PSmisc) %s\n"), "23.6"));
  return detach::version_line(first) + "\n" +
         cli::psmisc("Copyright (C) 1993-2022 Werner Almesberger and Craig Small\n\n") +
         cli::psmisc(
             "PSmisc comes with ABSOLUTELY NO WARRANTY.\n"
             "This is free software, and you are welcome to redistribute it under\n"
             "the terms of the GNU General Public License.\n"
             "For more information about these matters, see the files named COPYING.\n");
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

// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/nfsd.h"

#include <sstream>

#include "kernel/procfs.h"
#include "kernel/swaps.h"

namespace detach {

std::vector<std::string> parse_nfs_exports(const std::string& text) {
  std::vector<std::string> paths;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::string path = line.substr(0, line.find_first_of(" \t"));
    if (!path.empty()) paths.push_back(unescape_octal(path));
  }
  return paths;
}

Result<std::vector<std::string>> read_nfs_exports(const std::string& proc_root) {
  auto text = read_file(proc_root + "/fs/nfs/exports");
  if (!text) return tl::unexpected(text.error());
  return parse_nfs_exports(*text);
}

}  // namespace detach

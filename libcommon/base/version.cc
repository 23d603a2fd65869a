// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/version.h"

namespace detach {

std::string version_line(std::string_view upstream_line) {
  std::string line(upstream_line);
  line += " (detach-utils ";
  line += kVersion;
  line += ')';
  return line;
}

}  // namespace detach

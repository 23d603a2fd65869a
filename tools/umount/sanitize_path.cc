// SPDX-License-Identifier: GPL-2.0-or-later
#include "sanitize_path.h"

#include <libmount.h>

#include <cstdlib>

#include "cli/diag.h"
#include "scan/real_user.h"

namespace umount_tool {

std::string sanitize_path(const std::string& path) {
  auto canonical = detach::canonicalize_as_real_user(path);
  if (!canonical) {
    cli::warn(path, canonical.error().err);
    std::exit(MNT_EX_USAGE);
  }
  return *canonical;
}

}  // namespace umount_tool

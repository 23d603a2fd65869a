// SPDX-License-Identifier: GPL-2.0-or-later
// Writing files whole: a reader sees the old content or the new, never a part.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/result.h"

namespace detach {

// Writes all of DATA to FD (PATH names it in errors), going on after a short write or EINTR.
Status write_all(int fd, std::string_view data, const std::string& path);

// Replaces PATH by a file holding CONTENT with permissions MODE: written and synced to a temp file beside it
// (".NAME.XXXXXX": hidden, and matched by no reader's pattern such as node-exporter's *.prom), then renamed
// over PATH. On any error the temp file is removed and PATH is left as it was.
Status replace_file(const std::string& path, std::string_view content, mode_t mode);

}  // namespace detach

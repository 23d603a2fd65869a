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

// Replaces the file NAME in the directory DIRFD by one holding CONTENT with permissions MODE: written and
// synced to a new temp file beside it (".NAME.XXXXXX": hidden, and matched by no reader's pattern such as
// node-exporter's *.prom), then renamed over NAME. Neither name is followed if it is a symbolic link: a
// caller that reached DIRFD without following one (the journal) stays where it checked. On any error the
// temp file is removed and NAME is left as it was. PATH names the file in errors (NAME must not contain a
// slash).
Status replace_file_at(int dirfd, const std::string& name, const std::string& path, std::string_view content,
                       mode_t mode);

// replace_file_at for PATH, in the directory PATH names.
Status replace_file(const std::string& path, std::string_view content, mode_t mode);

}  // namespace detach

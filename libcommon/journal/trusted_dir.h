// SPDX-License-Identifier: GPL-2.0-or-later
// Reaching the journal's directory and file only through what root (or the caller) controls: the journal's
// trust rules (journal.h) as file operations.
#pragma once

#include <sys/stat.h>

#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

// DIR as an O_PATH fd: every component opened relative to the one before, without following a link, each
// checked (see journal.h). With CREATE, a missing last component is made (MODE, whatever the umask). A
// missing directory without CREATE fails with ENOENT; one not to be trusted with EPERM, a link on the way
// with ELOOP.
Result<UniqueFd> open_trusted_dir(const std::string& dir, bool create, mode_t mode);

// The file (or directory) ST describes may be trusted: owned by root or the caller, not writable by group or
// others. PATH names it in the error.
Status check_trusted(const struct stat& st, const std::string& path);

}  // namespace detach

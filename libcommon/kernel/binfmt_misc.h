// SPDX-License-Identifier: GPL-2.0-or-later
// binfmt_misc entries, as the files of a mounted binfmt_misc instance show them
// (/proc/sys/fs/binfmt_misc/NAME). An entry registered with flag F had its interpreter opened by the kernel
// at registration: the kernel holds that file open for as long as the entry lives, and so its filesystem
// ("target is busy"; after umount -l the filesystem lives on). Since 6.7 each user namespace may have an
// instance of its own; an instance's entries go with its superblock (the last unmount of that binfmt_misc).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace detach {

struct BinfmtEntry {
  bool enabled = false;
  // As given at registration, unresolved: the kernel prints the string it was given, any bytes but NUL (a
  // newline too), not the file it opened.
  std::string interpreter;
  std::string flags;       // the flag letters the kernel printed, of "POCF" in that order
  bool open_file = false;  // F: the kernel opened the interpreter at registration and holds it open
  // A magic entry: the offset and the magic (and mask, when it has one) in lowercase hex, as printed.
  std::optional<int> offset;
  std::string magic;
  std::string mask;
  // An extension entry: the extension without its dot (any bytes but NUL and '/').
  std::optional<std::string> extension;
};

// Parses the text of an entry file. The interpreter ends where the rest of the text reads as the kernel's
// "\nflags: ...\n" line and a complete offset/magic or extension tail: the first such place, so that an
// interpreter holding a newline comes back whole. nullopt for anything else (the short "enabled\n" of a
// kernel without verbose status, a text cut short, garbage).
std::optional<BinfmtEntry> parse_binfmt_entry(std::string_view text);

// One entry file of an instance, unparsed.
struct BinfmtFile {
  std::string name;  // the entry's name: any bytes but NUL and '/'
  std::string text;
};

// The entry files of the binfmt_misc instance whose directory DIR_FD is open: every file but "register" and
// "status". An entry removed while the directory was read is left out; a file that cannot be read otherwise
// fails the call.
Result<std::vector<BinfmtFile>> read_binfmt_files(int dir_fd);

}  // namespace detach

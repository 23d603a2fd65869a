// SPDX-License-Identifier: GPL-2.0-or-later
// The files registered with an io_uring ring (IORING_REGISTER_FILES), as the ring's /proc/PID/fdinfo lists
// them. The ring holds each of them open: a process that closed its own fd still pins the filesystem through
// its ring.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace detach {

struct RingFile {
  unsigned slot = 0;  // index in the ring's file table
  // d_path of the file as the reader of fdinfo sees it: a host path when the reader can reach the file, else
  // a path from the root of whatever tree the file is in (a lazily detached mount's: "/file").
  std::string path;
};

struct RingFiles {
  bool is_ring = false;         // the text has a "UserFiles:" line
  std::uint64_t count = 0;      // what that line says: how many slots hold a file
  std::vector<RingFile> files;  // the slots the text lists; fewer than count when the ring was busy
};

// Parses the fdinfo text of an io_uring fd. Paths are unescaped (the kernel writes blank, tab, newline and
// backslash as \ooo). A listing cut short keeps what it has.
RingFiles parse_ring_files(const std::string& fdinfo);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// What each NAME asks, once looked up, and what was found for it: the units fuser matches and prints.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "command_line.h"
#include "inet.h"
#include "model/pin.h"
#include "scan/path_lookup.h"

namespace fuser {

enum class QueryKind {
  None,        // nothing to match: the name did not resolve (it is listed with -a only)
  File,        // a file: the pins of its inode, and the holders of a unix socket bound there
  Filesystem,  // -m: every pin on any mount of the name's filesystem
  Path,        // a file whose filesystem did not answer: pins on its mount through that very path
  Sockets,     // tcp or udp: the fds of those sockets
  Detached,    // --detached: what keeps the detached mounts of a device or former mount point (or all) alive
};

struct Query {
  NameArg arg;
  QueryKind kind = QueryKind::None;
  bool all = false;   // Detached: --detached with no name after it, every detached mount
  std::string label;  // what fuser prints before ':' (psmisc: the canonical path, "80/tcp")
  detach::PathFacts
      facts;  // File, Filesystem, Detached: the name's stat (facts.stat_error 0 when it has one)
  bool stat_ok = false;
  std::string path;  // File, Filesystem, Path, Detached: absolute (canonical, or lexical when not resolved)
  // The mount of our namespace the name is on (File, Filesystem, Path); 0 when not known.
  detach::MountKey own_mount = 0;
  bool timed_out = false;               // its filesystem did not answer: matched by path or by mount
  std::vector<Connection> connections;  // Sockets
  // Sockets: the inodes of its sockets; File, Filesystem: of unix sockets bound at it, or on it.
  std::set<std::uint64_t> socket_inodes;
};

// psmisc's access letters of a process to a name.
enum Access : unsigned {
  kCwd = 1,
  kExe = 2,
  kFile = 4,
  kRoot = 8,
  kMmap = 16,
  kFileWrite = 32,
};

// One process's use of a name: what fuser prints as a pid and letters.
struct ProcessUse {
  pid_t pid = 0;
  unsigned access = 0;
  std::vector<const detach::Pin*> pins;  // what it was found holding (checked again before a kill)
  std::string how;                       // --detached -v: its pins in words ("cwd, fd 3-7 (read)")
};

// psmisc's "kernel" pseudo-processes, and ours: what holds a name other than a process. FsDevice: a
// filesystem that claims the device besides its source (its log, journal, another btrfs device).
enum class KernelKind {
  Swap,
  Mount,
  Knfsd,
  Loop,
  Detached,
  Overlay,
  FileBacked,
  Binfmt,
  Uprobe,
  BpfLink,
  FsDevice
};

struct KernelUse {
  KernelKind kind;
  std::string command;  // the mount point, swap file, export, loop device, or the detached mount in words
};

struct Report {
  std::string label;
  std::vector<KernelUse> kernel;      // printed before the processes (with -v only)
  std::vector<ProcessUse> processes;  // by pid
  bool detached = false;              // from --detached: -k spares fuser's parent
};

}  // namespace fuser

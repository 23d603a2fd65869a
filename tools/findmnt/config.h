// SPDX-License-Identifier: GPL-2.0-or-later
// Everything the command line asks for, as plain data passed to every step (no global state).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "columns.h"

namespace findmnt {

enum class TabType { Unset, Fstab, Mtab, Kernel };
enum class KernelMethod { Mountinfo, Listmount };
enum class Direction { Forward, Backward };

// What the filters compare against. get_next_fs() may move `source` to `target` (a positional argument can be
// either a device or a mount point), so the matcher owns a copy it can change.
struct Match {
  std::optional<std::string> source;
  std::optional<std::string> target;
  std::optional<std::string> fstype;
  std::optional<std::string> options;
  std::optional<dev_t> majmin;
  std::optional<int> id;
  std::optional<std::uint64_t> uniq_id;
};

struct Config {
  // output form
  bool tree = true;  // the default; -l, -r, -P, -D, -m, -s, --poll clear it
  bool force_tree = false;
  bool raw = false, json = false, pairs = false, shellvar = false, ascii = false, noheadings = false;
  bool notruncate = false, bytes = false, nofsroot = false, vfs_all = false;
  // filters and search
  bool all = false, df = false, real = false, pseudo = false, shadowed = false, invert = false;
  bool first_only = false, submounts = false, uniq = false, strict_target = false, noswapmatch = false;
  bool nocache = false, canonicalize = false, evaluate = false;
  Direction direction = Direction::Forward;
  Match match;
  // sources
  TabType tabtype = TabType::Unset;
  KernelMethod kernel_method = KernelMethod::Mountinfo;
  std::vector<std::string> tabfiles;      // -F and -N, in command-line order
  std::optional<std::uint32_t> task_tid;  // -N, also used by --detached
  // modes
  bool poll = false;
  std::vector<int> poll_actions;  // MNT_TABDIFF_*; empty: all
  int timeout = -1;
  bool verify = false, verbose = false;
  bool list_columns = false;
  bool detached = false;
  bool per_pin = false;  // --detached --per-pin: a row per pin instead of per pinner
  std::vector<Column> columns;
  std::optional<std::string> output_arg;  // -o, applied after the defaults
  bool output_all = false;
  std::vector<std::string> positionals;  // [<device>|<mountpoint>] [<mountpoint>]
};

}  // namespace findmnt

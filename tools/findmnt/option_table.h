// SPDX-License-Identifier: GPL-2.0-or-later
// findmnt's options as data: names, short letters, argument kinds, and which ones exclude each other.
// The order of kOptions is util-linux 2.38's longopts order: getopt_long lists ambiguous prefixes in that
// order.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "cli/getopt_parse.h"

namespace findmnt {

using cli::Arg;

enum class Opt {
  All,
  Ascii,
  Bytes,
  Canonicalize,
  Direction,
  Df,
  Evaluate,
  FirstOnly,
  Fstab,
  Help,
  Invert,
  Json,
  Kernel,
  List,
  Mountpoint,
  Mtab,
  Noheadings,
  Notruncate,
  Options,
  Output,
  OutputAll,
  Poll,
  Pairs,
  Raw,
  Types,
  Nocanonicalize,
  Nofsroot,
  Submounts,
  Source,
  TabFile,
  Task,
  Target,
  Timeout,
  Uniq,
  Verify,
  Version,
  Shell,
  Verbose,
  Tree,
  Real,
  Pseudo,
  VfsAll,
  Shadowed,
  // newer than util-linux 2.38
  Id,
  UniqId,
  ListColumns,
  Detached,
  PerPin,
};

struct OptSpec {
  Opt id;
  char short_name;  // 0: long only
  std::string_view long_name;
  Arg arg;
  // false for options util-linux 2.38 lacks: when a long prefix is ambiguous only because of them, the 2.38
  // option wins, so `--li` still means --list as it did.
  bool legacy = true;
};

inline constexpr std::array kOptions{
    OptSpec{Opt::All, 'A', "all", Arg::None},
    OptSpec{Opt::Ascii, 'a', "ascii", Arg::None},
    OptSpec{Opt::Bytes, 'b', "bytes", Arg::None},
    OptSpec{Opt::Canonicalize, 'c', "canonicalize", Arg::None},
    OptSpec{Opt::Direction, 'd', "direction", Arg::Required},
    OptSpec{Opt::Df, 'D', "df", Arg::None},
    OptSpec{Opt::Evaluate, 'e', "evaluate", Arg::None},
    OptSpec{Opt::FirstOnly, 'f', "first-only", Arg::None},
    OptSpec{Opt::Fstab, 's', "fstab", Arg::None},
    OptSpec{Opt::Help, 'h', "help", Arg::None},
    OptSpec{Opt::Invert, 'i', "invert", Arg::None},
    OptSpec{Opt::Json, 'J', "json", Arg::None},
    // 2.38's --kernel takes no argument; the optional =mountinfo|listmount is from 2.41. -k stays bare.
    OptSpec{Opt::Kernel, 'k', "kernel", Arg::Optional},
    OptSpec{Opt::List, 'l', "list", Arg::None},
    OptSpec{Opt::Mountpoint, 'M', "mountpoint", Arg::Required},
    OptSpec{Opt::Mtab, 'm', "mtab", Arg::None},
    OptSpec{Opt::Noheadings, 'n', "noheadings", Arg::None},
    OptSpec{Opt::Notruncate, 'u', "notruncate", Arg::None},
    OptSpec{Opt::Options, 'O', "options", Arg::Required},
    OptSpec{Opt::Output, 'o', "output", Arg::Required},
    OptSpec{Opt::OutputAll, 0, "output-all", Arg::None},
    OptSpec{Opt::Poll, 'p', "poll", Arg::Optional},
    OptSpec{Opt::Pairs, 'P', "pairs", Arg::None},
    OptSpec{Opt::Raw, 'r', "raw", Arg::None},
    OptSpec{Opt::Types, 't', "types", Arg::Required},
    OptSpec{Opt::Nocanonicalize, 'C', "nocanonicalize", Arg::None},
    OptSpec{Opt::Nofsroot, 'v', "nofsroot", Arg::None},
    OptSpec{Opt::Submounts, 'R', "submounts", Arg::None},
    OptSpec{Opt::Source, 'S', "source", Arg::Required},
    OptSpec{Opt::TabFile, 'F', "tab-file", Arg::Required},
    OptSpec{Opt::Task, 'N', "task", Arg::Required},
    OptSpec{Opt::Target, 'T', "target", Arg::Required},
    OptSpec{Opt::Timeout, 'w', "timeout", Arg::Required},
    OptSpec{Opt::Uniq, 'U', "uniq", Arg::None},
    OptSpec{Opt::Verify, 'x', "verify", Arg::None},
    OptSpec{Opt::Version, 'V', "version", Arg::None},
    OptSpec{Opt::Shell, 'y', "shell", Arg::None},
    OptSpec{Opt::Verbose, 0, "verbose", Arg::None},
    OptSpec{Opt::Tree, 0, "tree", Arg::None},
    OptSpec{Opt::Real, 0, "real", Arg::None},
    OptSpec{Opt::Pseudo, 0, "pseudo", Arg::None},
    OptSpec{Opt::VfsAll, 0, "vfs-all", Arg::None},
    OptSpec{Opt::Shadowed, 0, "shadowed", Arg::None},
    OptSpec{Opt::Id, 0, "id", Arg::Required, false},
    OptSpec{Opt::UniqId, 0, "uniq-id", Arg::Required, false},
    OptSpec{Opt::ListColumns, 'H', "list-columns", Arg::None, false},
    OptSpec{Opt::Detached, 0, "detached", Arg::None, false},
    OptSpec{Opt::PerPin, 0, "per-pin", Arg::None, false},
};

constexpr const OptSpec& spec_of(Opt id) {
  for (const OptSpec& spec : kOptions)
    if (spec.id == id) return spec;
  return kOptions[0];  // unreachable: every Opt has a row
}

// Groups of mutually exclusive options: util-linux 2.38's ul_excl_t table, rows and members as it lists them.
// The error names every member of the group.
struct ExclusiveGroup {
  std::array<Opt, 4> members;
  std::size_t size;
};

inline constexpr std::array kExclusive{
    ExclusiveGroup{{Opt::Nocanonicalize, Opt::Canonicalize}, 2},
    ExclusiveGroup{{Opt::Nocanonicalize, Opt::Evaluate}, 2},
    ExclusiveGroup{{Opt::Json, Opt::Pairs, Opt::Raw, Opt::Verify}, 4},
    ExclusiveGroup{{Opt::Mountpoint, Opt::Target}, 2},
    ExclusiveGroup{{Opt::Task, Opt::Kernel, Opt::Mtab, Opt::Fstab}, 4},
    ExclusiveGroup{{Opt::Pairs, Opt::List, Opt::Raw, Opt::Verify}, 4},
    ExclusiveGroup{{Opt::Poll, Opt::Verify}, 2},
    ExclusiveGroup{{Opt::Mtab, Opt::Poll, Opt::Fstab}, 3},
    ExclusiveGroup{{Opt::Pseudo, Opt::Real}, 2},
};

// Groups of our own options, checked after util-linux's (whose scan order cannot take new rows, see
// options.cc). A detached mount is in no table: --detached with an option that picks a table (-s, -F, -k,
// -m) or df's view (-D) would silently mean nothing, so it is refused as util-linux refuses -s with -m.
inline constexpr std::array kExclusiveNew{
    ExclusiveGroup{{Opt::Detached, Opt::Verify}, 2},  ExclusiveGroup{{Opt::Detached, Opt::Fstab}, 2},
    ExclusiveGroup{{Opt::Detached, Opt::TabFile}, 2}, ExclusiveGroup{{Opt::Detached, Opt::Kernel}, 2},
    ExclusiveGroup{{Opt::Detached, Opt::Mtab}, 2},    ExclusiveGroup{{Opt::Detached, Opt::Df}, 2},
};

// The number util-linux's getopt loop sees for an option: its short letter, or for long-only options the
// value of its enum (FINDMNT_OPT_VERBOSE = CHAR_MAX + 1, ...). The exclusion check compares these numbers.
constexpr int getopt_code(Opt id) {
  switch (id) {
    case Opt::Verbose:
      return 128;
    case Opt::Tree:
      return 129;
    case Opt::OutputAll:
      return 130;
    case Opt::Pseudo:
      return 131;
    case Opt::Real:
      return 132;
    case Opt::VfsAll:
      return 133;
    case Opt::Shadowed:
      return 134;
    default:
      break;
  }
  for (const OptSpec& spec : kOptions)
    if (spec.id == id && spec.short_name) return spec.short_name;
  return 256 + static_cast<int>(id);  // newer long-only options: past every util-linux code
}

}  // namespace findmnt

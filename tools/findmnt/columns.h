// SPDX-License-Identifier: GPL-2.0-or-later
// findmnt's columns: one constexpr table drives -o, --output-all, --help, --list-columns and the JSON types.
// Rows 0..26 are util-linux 2.38's, in its order (--help lists them so), with its descriptions (msgids of its
// catalog); newer and detached-only ones follow, their descriptions marked for ours (N_).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/i18n.h"
#include "output/columns.h"

namespace findmnt {

enum class Column {
  Action,
  Avail,
  Freq,
  Fsroot,
  Fstype,
  FsOptions,
  Id,
  Label,
  Majmin,
  OldOptions,
  OldTarget,
  Options,
  OptFields,
  Parent,
  Partlabel,
  Partuuid,
  Passno,
  Propagation,
  Size,
  Source,
  Sources,
  Target,
  Tid,
  Used,
  Useperc,
  Uuid,
  VfsOptions,
  // newer than util-linux 2.38
  UniqId,
  // --detached only
  Pinners,
  Pins,
  Pids,
  Pid,
  Command,
  User,
  Unit,
  How,
  Namespace,
  DetachedAt,
  Layers,
};

// When a column may be asked for.
enum class Scope {
  Always,    // every mode
  Poll,      // needs --poll (ACTION, OLD-*)
  Newer,     // util-linux 2.39+: accepted by -o, left out of --output-all so 2.38 output stays the same
  Detached,  // needs --detached
};

struct ColumnSpec {
  Column id;
  detach::output::ColumnInfo info;
  Scope scope;
};

namespace fl = detach::output::flag;
using detach::output::JsonType;

inline constexpr std::array kColumns{
    ColumnSpec{Column::Action,
               {"ACTION", 10, fl::kStrictWidth, JsonType::String, "action detected by --poll"},
               Scope::Poll},
    ColumnSpec{Column::Avail,
               {"AVAIL", 5, fl::kRight, JsonType::String, "filesystem size available"},
               Scope::Always},
    ColumnSpec{Column::Freq,
               {"FREQ", 1, fl::kRight, JsonType::Number, "dump(8) period in days [fstab only]"},
               Scope::Always},
    ColumnSpec{Column::Fsroot,
               {"FSROOT", 0.25, fl::kNoExtremes, JsonType::String, "filesystem root"},
               Scope::Always},
    ColumnSpec{
        Column::Fstype, {"FSTYPE", 0.10, fl::kTrunc, JsonType::String, "filesystem type"}, Scope::Always},
    ColumnSpec{Column::FsOptions,
               {"FS-OPTIONS", 0.10, fl::kTrunc, JsonType::String, "FS specific mount options"},
               Scope::Always},
    ColumnSpec{Column::Id, {"ID", 2, fl::kRight, JsonType::Number, "mount ID"}, Scope::Always},
    ColumnSpec{Column::Label, {"LABEL", 0.10, 0, JsonType::String, "filesystem label"}, Scope::Always},
    ColumnSpec{
        Column::Majmin, {"MAJ:MIN", 6, 0, JsonType::String, "major:minor device number"}, Scope::Always},
    ColumnSpec{Column::OldOptions,
               {"OLD-OPTIONS", 0.10, fl::kTrunc, JsonType::String, "old mount options saved by --poll"},
               Scope::Poll},
    ColumnSpec{Column::OldTarget,
               {"OLD-TARGET", 0.30, 0, JsonType::String, "old mountpoint saved by --poll"},
               Scope::Poll},
    ColumnSpec{
        Column::Options, {"OPTIONS", 0.10, fl::kTrunc, JsonType::String, "all mount options"}, Scope::Always},
    ColumnSpec{Column::OptFields,
               {"OPT-FIELDS", 0.10, fl::kTrunc, JsonType::String, "optional mount fields"},
               Scope::Always},
    ColumnSpec{Column::Parent, {"PARENT", 2, fl::kRight, JsonType::Number, "mount parent ID"}, Scope::Always},
    ColumnSpec{Column::Partlabel, {"PARTLABEL", 0.10, 0, JsonType::String, "partition label"}, Scope::Always},
    ColumnSpec{Column::Partuuid, {"PARTUUID", 36, 0, JsonType::String, "partition UUID"}, Scope::Always},
    ColumnSpec{Column::Passno,
               {"PASSNO", 1, fl::kRight, JsonType::Number, "pass number on parallel fsck(8) [fstab only]"},
               Scope::Always},
    ColumnSpec{Column::Propagation,
               {"PROPAGATION", 0.10, 0, JsonType::String, "VFS propagation flags"},
               Scope::Always},
    ColumnSpec{Column::Size, {"SIZE", 5, fl::kRight, JsonType::String, "filesystem size"}, Scope::Always},
    ColumnSpec{
        Column::Source, {"SOURCE", 0.25, fl::kNoExtremes, JsonType::String, "source device"}, Scope::Always},
    ColumnSpec{Column::Sources,
               {"SOURCES", 0.25, fl::kWrap, JsonType::ArrayString, "all possible source devices"},
               Scope::Always},
    ColumnSpec{Column::Target,
               {"TARGET", 0.30, fl::kTree | fl::kNoExtremes, JsonType::String, "mountpoint"},
               Scope::Always},
    ColumnSpec{Column::Tid, {"TID", 4, fl::kRight, JsonType::Number, "task ID"}, Scope::Always},
    ColumnSpec{
        Column::Used, {"USED", 5, fl::kRight, JsonType::String, "filesystem size used"}, Scope::Always},
    ColumnSpec{Column::Useperc,
               {"USE%", 3, fl::kRight, JsonType::String, "filesystem use percentage"},
               Scope::Always},
    ColumnSpec{Column::Uuid, {"UUID", 36, 0, JsonType::String, "filesystem UUID"}, Scope::Always},
    ColumnSpec{Column::VfsOptions,
               {"VFS-OPTIONS", 0.20, fl::kTrunc, JsonType::String, "VFS specific mount options"},
               Scope::Always},
    ColumnSpec{Column::UniqId,
               {"UNIQ-ID", 10, fl::kRight, JsonType::Number,
                detach::N_("mount 64-bit ID (requires --kernel=listmount or --detached)")},
               Scope::Newer},
    ColumnSpec{Column::Pinners,
               {"PINNERS", 0.40, 0, JsonType::String,
                detach::N_("what keeps a detached mount alive [--detached only]")},
               Scope::Detached},
    ColumnSpec{Column::Pins,
               {"PINS", 4, fl::kRight, JsonType::Number, detach::N_("number of pins [--detached only]")},
               Scope::Detached},
    ColumnSpec{Column::Pids,
               {"PIDS", 0.10, 0, JsonType::String,
                detach::N_("pinning processes, comma-separated [--detached only]")},
               Scope::Detached},
    ColumnSpec{
        Column::Pid,
        {"PID", 5, fl::kRight, JsonType::Number, detach::N_("process ID of a pinner [--detached only]")},
        Scope::Detached},
    ColumnSpec{
        Column::Command,
        {"COMMAND", 0.10, fl::kTrunc, JsonType::String, detach::N_("command of a pinner [--detached only]")},
        Scope::Detached},
    ColumnSpec{Column::User,
               {"USER", 0.10, 0, JsonType::String, detach::N_("owner of a pinner [--detached only]")},
               Scope::Detached},
    ColumnSpec{Column::Unit,
               {"UNIT", 0.10, fl::kTrunc, JsonType::String,
                detach::N_("systemd unit or scope of a pinner [--detached only]")},
               Scope::Detached},
    ColumnSpec{
        Column::How,
        {"HOW", 0.20, 0, JsonType::String, detach::N_("how a pinner holds the mount [--detached only]")},
        Scope::Detached},
    ColumnSpec{Column::Namespace,
               {"NAMESPACE", 10, fl::kRight, JsonType::Number,
                detach::N_("mount namespace ID it was detached from, when recorded [--detached only]")},
               Scope::Detached},
    ColumnSpec{Column::DetachedAt,
               {"DETACHED", 25, 0, JsonType::String,
                detach::N_("when it was detached, when recorded [--detached only]")},
               Scope::Detached},
    ColumnSpec{Column::Layers,
               {"LAYERS", 0.30, fl::kWrap, JsonType::String,
                "an overlay's lowerdir, upperdir and workdir [--detached only]"},
               Scope::Detached},
};

constexpr const ColumnSpec& column_spec(Column id) {
  return kColumns[static_cast<std::size_t>(id)];
}

// Every row sits at the index of its enum value; column_spec() relies on it.
constexpr bool columns_in_enum_order() {
  for (std::size_t i = 0; i < kColumns.size(); ++i)
    if (static_cast<std::size_t>(kColumns[i].id) != i) return false;
  return true;
}
static_assert(columns_in_enum_order());

// The column called `name` (case-insensitive), as -o accepts it.
std::optional<Column> column_by_name(std::string_view name);

// Appends the columns of an -o list ("TARGET,SOURCE"; "+X" adds to the defaults, as util-linux's
// string_add_to_idarray does). On an unknown name returns util-linux's message, which quotes the list from
// the bad name to its end ("unknown column: bad,SOURCE").
std::optional<std::string> parse_column_list(std::string_view list, std::vector<Column>& columns);

// The description --help and --list-columns give: util-linux's columns in its words (its catalog), the newer
// ones in ours.
const char* column_help(const ColumnSpec& spec);

// JSON type of a column: sizes are numbers only in bytes (-b).
detach::output::JsonType json_type(Column column, bool bytes);

}  // namespace findmnt

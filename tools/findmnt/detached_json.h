// SPDX-License-Identifier: GPL-2.0-or-later
// `findmnt --detached -J`: the same filesystems, mounts and pinners as the table, as a document whose objects
// say what they are. libsmartcols would give every row every column (mostly null) and the pinners as text;
// here a filesystem holds its mounts, a mount its pinners, and a pinner its pins as structured data (kind, fd
// ranges, access, path), so a script needs no text parsing.
//
//   tree:  {"filesystems": [{"source": ..., "maj:min": ..., "fstype": ...,
//                            "mounts": [{"uniq-id": ..., "target": ..., "pinners": [PINNER...]}],
//                            "pinners": [PINNER...]}]}          <- kernel pins through the device only
//   list:  {"filesystems": [{"uniq-id": ..., "source": ..., "pinners": [PINNER...]}]}
//
// Keys are the -o columns in lower case, as libsmartcols names them, typed as --list-columns says; a mount's
// "pinners" is there when a pinner column is asked for (they are by default). PINNER: detach::pinner_json.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "context.h"
#include "model/snapshot.h"

namespace findmnt {

nlohmann::ordered_json detached_json(const Context& ctx, const detach::Snapshot& snap,
                                     const std::vector<const detach::Mount*>& mounts);

// One --poll event as one JSON object (printed one per line): the mount's columns, "action", and its
// pinners for a detach.
nlohmann::ordered_json detached_event_json(const Context& ctx, const detach::Mount& m, const char* action,
                                           const detach::Snapshot& keeping,
                                           const std::vector<const detach::Pin*>& pins);

// The document as text: two-space indent as libsmartcols, bytes that are not UTF-8 already escaped.
std::string json_text(const nlohmann::ordered_json& doc, bool compact);

}  // namespace findmnt

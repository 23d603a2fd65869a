// SPDX-License-Identifier: GPL-2.0-or-later
// An overlay's layers in findmnt --detached (LAYERS, and -J's lowerdir, datadir, upperdir, workdir and
// merged): the view of an overlay that outlived its lazy detach, which the kernel no longer shows anywhere.
// They come from the census's layer pins of the mount (its options while attached, or the journal's record of
// them).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/snapshot.h"

namespace findmnt {

struct OverlayLayers {
  bool overlay = false;            // the mount is an overlay
  bool known = false;              // its layers are known (else: lazily detached, its options never recorded)
  std::vector<std::string> lower;  // top first
  std::vector<std::string> data;   // data-only lower layers
  std::string upper, work;         // empty: none (a read-only overlay)
};

OverlayLayers overlay_layers(const detach::Snapshot& snap, const detach::Mount& m);

// "lowerdir=/a:/b::/data,upperdir=/u,workdir=/w" (':', ',' and '\' in a path escaped as a mounter escapes
// them), "unknown (not recorded)", or nothing for a mount that is no overlay.
std::optional<std::string> layers_cell(const detach::Snapshot& snap, const detach::Mount& m);

// OUT's "lowerdir" and "datadir" (arrays), "upperdir", "workdir" and "merged" (its mount point, or the former
// one): null when unknown or none.
void add_layers_json(nlohmann::ordered_json& out, const detach::Snapshot& snap, const detach::Mount& m);

}  // namespace findmnt

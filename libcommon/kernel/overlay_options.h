// SPDX-License-Identifier: GPL-2.0-or-later
// Where an overlay's layers are, as its mount options name them (statmount's or mountinfo's super options, or
// the options a journal record kept). The kernel shows each layer as the string it was given at mount time
// (measured on 6.18): lowerdir= keeps the user's backslash escapes of ':' and ','; upperdir= and workdir=
// keep theirs too (the kernel unescaped only its own copy to look the path up); lowerdir+= and datadir+= are
// taken as they are. On top of that the kernel's option printer writes ',', blank, tab, newline and '\' of a
// value as \ooo (statmount and mountinfo alike; libmount's mountinfo parser has undone that already).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace detach {

struct OverlayLayerOption {
  // "lowerdir", "datadir" (a data-only lower layer: after "::" in lowerdir=, or datadir+=), "upperdir",
  // "workdir"
  std::string role;
  std::string path;  // unescaped; relative when it was given so (to the mounter's cwd then: unknown now)
};

// The layers in the order the overlay stacks them: lower layers top first, then data-only ones, then upperdir
// and workdir. Options that name no layer are skipped; an empty list means none was named (not an overlay's
// options, or cut short).
std::vector<OverlayLayerOption> parse_overlay_options(std::string_view options);

// The options of a mount option string, split on the commas that separate them: a comma after a backslash
// is part of a value (the overlay's own escape), as the kernel's legacy option splitter reads it.
std::vector<std::string_view> split_mount_options(std::string_view options);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/overlay_options.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

namespace detach {
namespace {

// The bytes the kernel's option printer (seq_show_option) writes as \ooo in a value: ',', blank, tab,
// newline and '\'. Only these are decoded: any other backslash is the overlay's own escape, which the
// kernel shows as it was given.
constexpr std::array<std::pair<std::string_view, char>, 5> kPrinterEscapes{{
    {"\\054", ','},
    {"\\040", ' '},
    {"\\011", '\t'},
    {"\\012", '\n'},
    {"\\134", '\\'},
}};

std::string decode_printer_escapes(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    bool decoded = false;
    if (value[i] == '\\') {
      for (const auto& [escape, byte] : kPrinterEscapes) {
        if (value.substr(i, escape.size()) == escape) {
          out += byte;
          i += escape.size() - 1;
          decoded = true;
          break;
        }
      }
    }
    if (!decoded) out += value[i];
  }
  return out;
}

// overlayfs's ovl_unescape(): a backslash keeps the byte after it, whatever it is; a trailing one goes.
std::string overlay_unescape(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '\\') {
      if (++i == path.size()) break;
    }
    out += path[i];
  }
  return out;
}

// lowerdir=A:B::C: layers split on ':' (a backslash escapes the byte after it), "::" starts the data-only
// ones. As overlayfs splits them: an empty layer is skipped (the kernel refuses the mount anyway).
void add_lowerdirs(std::string_view value, std::vector<OverlayLayerOption>& out) {
  bool data_only = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    if (i < value.size() && value[i] == '\\') {
      if (i + 1 < value.size()) ++i;  // the escaped byte; a trailing backslash stays (and is dropped below)
      continue;
    }
    if (i < value.size() && value[i] != ':') continue;
    if (i > start)
      out.push_back({data_only ? "datadir" : "lowerdir", overlay_unescape(value.substr(start, i - start))});
    if (i + 1 < value.size() && value[i + 1] == ':') {
      data_only = true;
      ++i;
    }
    start = i + 1;
  }
}

}  // namespace

std::vector<std::string_view> split_mount_options(std::string_view options) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= options.size(); ++i) {
    if (i < options.size() && options[i] == '\\') {
      if (i + 1 < options.size()) ++i;
      continue;
    }
    if (i < options.size() && options[i] != ',') continue;
    if (i > start) out.push_back(options.substr(start, i - start));
    start = i + 1;
  }
  return out;
}

std::vector<OverlayLayerOption> parse_overlay_options(std::string_view options) {
  std::vector<OverlayLayerOption> lower, upper;
  for (std::string_view option : split_mount_options(options)) {
    const std::size_t eq = option.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = option.substr(0, eq);
    const std::string value = decode_printer_escapes(option.substr(eq + 1));
    if (value.empty()) continue;
    if (key == "lowerdir") {
      add_lowerdirs(value, lower);
    } else if (key == "lowerdir+") {
      lower.push_back({"lowerdir", value});  // taken as given: no escapes
    } else if (key == "datadir+") {
      lower.push_back({"datadir", value});
    } else if (key == "upperdir" || key == "workdir") {
      upper.push_back({std::string(key), overlay_unescape(value)});
    }
  }
  // Data-only layers stack below the others, wherever their options came.
  std::stable_partition(lower.begin(), lower.end(),
                        [](const OverlayLayerOption& layer) { return layer.role != "datadir"; });
  lower.insert(lower.end(), std::make_move_iterator(upper.begin()), std::make_move_iterator(upper.end()));
  return lower;
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "detached_layers.h"

#include "explain/printable.h"

namespace findmnt {
namespace {

using json = nlohmann::ordered_json;

// As a mounter writes a layer in lowerdir=: a backslash before ':', ',' and '\'.
std::string escaped(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ':' || c == ',' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string joined(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& p : paths) out += (out.empty() ? "" : ":") + escaped(p);
  return out;
}

json text_or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(detach::escape_invalid_utf8(text));
}

}  // namespace

OverlayLayers overlay_layers(const detach::Snapshot& snap, const detach::Mount& m) {
  OverlayLayers out;
  out.overlay = m.fstype == "overlay";
  if (!out.overlay) return out;
  for (const detach::Pin& pin : snap.pins) {
    // A layer the BPF source read from the overlay itself has a place and no path: its paths are still not
    // recorded.
    if (pin.kind != detach::PinKind::OverlayLayer || pin.via != m.key || pin.path.empty()) continue;
    out.known = true;
    if (pin.role == "lowerdir")
      out.lower.push_back(pin.path);
    else if (pin.role == "datadir")
      out.data.push_back(pin.path);
    else if (pin.role == "upperdir")
      out.upper = pin.path;
    else if (pin.role == "workdir")
      out.work = pin.path;
  }
  return out;
}

std::optional<std::string> layers_cell(const detach::Snapshot& snap, const detach::Mount& m) {
  OverlayLayers layers = overlay_layers(snap, m);
  if (!layers.overlay) return std::nullopt;
  if (!layers.known) return "unknown (not recorded)";
  std::string out = "lowerdir=" + joined(layers.lower);
  if (!layers.data.empty()) out += "::" + joined(layers.data);
  if (!layers.upper.empty()) out += ",upperdir=" + escaped(layers.upper);
  if (!layers.work.empty()) out += ",workdir=" + escaped(layers.work);
  return out;
}

void add_layers_json(json& out, const detach::Snapshot& snap, const detach::Mount& m) {
  OverlayLayers layers = overlay_layers(snap, m);
  auto list = [&](const std::vector<std::string>& paths) {
    if (!layers.known) return json(nullptr);
    json a = json::array();
    for (const std::string& p : paths) a.push_back(detach::escape_invalid_utf8(p));
    return a;
  };
  out["lowerdir"] = list(layers.lower);
  out["datadir"] = list(layers.data);
  out["upperdir"] = text_or_null(layers.upper);
  out["workdir"] = text_or_null(layers.work);
  out["merged"] = layers.overlay ? text_or_null(m.target) : json(nullptr);
}

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
#include "detached_json.h"

#include <algorithm>
#include <cstdlib>

#include "detached_cells.h"
#include "detached_layers.h"
#include "explain/pinner.h"
#include "explain/printable.h"

namespace findmnt {
namespace {

using detach::Mount;
using detach::Pin;
using json = nlohmann::ordered_json;

std::string json_key(Column col) {
  std::string out(column_spec(col).info.name);
  for (char& c : out) c = detach::output::ascii_lower(c);
  return out;
}

// A cell's text as the column's JSON type says.
json typed(Column col, const std::optional<std::string>& text, const Config& cfg) {
  if (!text) return nullptr;
  switch (json_type(col, cfg.bytes)) {
    case JsonType::Number: {
      char* end = nullptr;
      unsigned long long n = std::strtoull(text->c_str(), &end, 10);
      if (end && *end == '\0' && !text->empty()) return n;
      return detach::escape_invalid_utf8(*text);
    }
    case JsonType::ArrayString: {
      // One element per line, as libsmartcols splits an array cell.
      json out = json::array();
      for (std::size_t begin = 0; begin <= text->size();) {
        std::size_t end = std::min(text->find('\n', begin), text->size());
        out.push_back(detach::escape_invalid_utf8(text->substr(begin, end - begin)));
        begin = end + 1;
      }
      return out;
    }
    default:
      return detach::escape_invalid_utf8(*text);
  }
}

json pinners_of(const Context& ctx, const detach::Snapshot& snap, const std::vector<const Pin*>& pins) {
  return detach::pinners_json(snap, detach::group_pinners(pins), ctx.cfg.per_pin);
}

// A mount's -o columns (pinner columns go into its "pinners"), then its pinners.
json mount_json(const Context& ctx, const detach::Snapshot& snap, const Mount& m,
                const std::vector<const Pin*>& pins) {
  json out = json::object();
  for (Column col : ctx.cfg.columns) {
    if (is_pinner_column(col) || col == Column::Action || col == Column::OldTarget) continue;
    if (col == Column::Layers) {
      add_layers_json(out, snap, m);
      continue;
    }
    auto cell = mount_cell(snap, m, col, ctx.cfg);
    if (!cell) cell = pins_summary_cell(col, pins, snap);
    out[json_key(col)] = typed(col, cell, ctx.cfg);
  }
  if (shows_pinners(ctx.cfg)) out["pinners"] = pinners_of(ctx, snap, pins);
  return out;
}

bool is_filesystem_column(Column col) {
  return col == Column::Source || col == Column::Sources || col == Column::Majmin || col == Column::Fstype;
}

json filesystem_json(const Context& ctx, const detach::Snapshot& snap,
                     const std::vector<const Mount*>& mounts) {
  const detach::Superblock* sb = snap.superblock(mounts.front()->dev);
  std::vector<const Pin*> device_pins = snap.pins_at(snap.device_only_pins_of(*mounts.front()));
  std::vector<const Pin*> all = device_pins;
  json listed = json::array();
  for (const Mount* m : mounts) {
    std::vector<const Pin*> own = snap.pins_of(m->key);
    all.insert(all.end(), own.begin(), own.end());
    if (m->kernel_held())  // no mount id: its pins are the filesystem's
      device_pins.insert(device_pins.end(), own.begin(), own.end());
    else
      listed.push_back(mount_json(ctx, snap, *m, own));
  }
  // Nothing placed keeps the filesystem: what may (each pinner says "certain": false).
  if (all.empty()) all = device_pins = snap.pins_at(snap.suspects_keeping(*mounts.front()));
  json out = json::object();
  // Only what a filesystem has (the rest belongs to its mounts), each always there, null when unknown.
  for (Column col : ctx.cfg.columns) {
    if (col == Column::Pins || col == Column::Pids)
      out[json_key(col)] = typed(col, pins_summary_cell(col, all, snap), ctx.cfg);
    else if (is_filesystem_column(col))
      out[json_key(col)] = typed(col, superblock_cell(snap, *sb, col, ctx.cfg), ctx.cfg);
  }
  out["mounts"] = std::move(listed);
  if (shows_pinners(ctx.cfg)) out["pinners"] = pinners_of(ctx, snap, device_pins);
  return out;
}

}  // namespace

json detached_json(const Context& ctx, const detach::Snapshot& snap,
                   const std::vector<const Mount*>& mounts) {
  json list = json::array();
  if (!ctx.cfg.tree) {
    for (const Mount* m : mounts) list.push_back(mount_json(ctx, snap, *m, pins_for(snap, *m)));
  } else {
    std::vector<std::vector<const Mount*>> groups;  // by filesystem, in listing order
    for (const Mount* m : mounts) {
      auto it =
          std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.front()->dev == m->dev; });
      if (it == groups.end())
        groups.push_back({m});
      else
        it->push_back(m);
    }
    for (const auto& group : groups) list.push_back(filesystem_json(ctx, snap, group));
  }
  json doc = json::object();
  doc["filesystems"] = std::move(list);
  return doc;
}

json detached_event_json(const Context& ctx, const Mount& m, const char* action,
                         const detach::Snapshot& keeping, const std::vector<const Pin*>& pins) {
  json out = json::object();
  out["action"] = action;
  for (Column col : ctx.cfg.columns) {
    if (col == Column::Action || is_pinner_column(col)) continue;
    auto cell = col == Column::OldTarget ? std::optional(m.target) : mount_cell(keeping, m, col, ctx.cfg);
    if (cell && cell->empty()) cell.reset();
    if (!cell) cell = pins_summary_cell(col, pins, keeping);
    out[json_key(col)] = typed(col, cell, ctx.cfg);
  }
  if (shows_pinners(ctx.cfg)) out["pinners"] = pinners_of(ctx, keeping, pins);
  return out;
}

std::string json_text(const json& doc, bool compact) {
  return doc.dump(compact ? -1 : 2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace findmnt

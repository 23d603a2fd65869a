// SPDX-License-Identifier: GPL-2.0-or-later
#include "detached_rows.h"

#include <algorithm>
#include <functional>

#include "detached_cells.h"
#include "detached_layers.h"
#include "model/pinner.h"

namespace findmnt {
namespace {

using detach::Mount;
using detach::Pin;
using detach::output::Line;

// Fills every column of LINE from CELL (nullopt leaves a cell empty). The text as it is: libsmartcols escapes
// what is not printable ("\xff") in every style a table prints, as util-linux's findmnt shows it; escaped
// here first, it would escape the backslash again ("\x5cxff").
void fill(Line line, const std::vector<Column>& cols,
          const std::function<std::optional<std::string>(Column)>& cell) {
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (auto text = cell(cols[i])) line.set(i, *text);
}

}  // namespace

void DetachedRows::add(const Mount& m) {
  if (!ctx_.cfg.tree) return add_list_rows(m);
  auto group = std::find_if(groups_.begin(), groups_.end(), [&](const auto& g) { return g.first == m.dev; });
  if (group == groups_.end()) group = groups_.insert(groups_.end(), {m.dev, {}});
  group->second.push_back(&m);
}

void DetachedRows::finish() {
  for (const auto& [dev, mounts] : groups_) add_superblock(dev, mounts);
}

// The filesystem row sums what the rows below it show: each mount's own pins, and the kernel pins that hold
// it through its device only (Snapshot::device_only_pins_of: the same for every detached mount of it).
void DetachedRows::add_superblock(detach::DeviceNumber dev, const std::vector<const Mount*>& mounts) {
  const detach::Superblock* sb = snap_.superblock(dev);  // build_superblocks() made one per device
  std::vector<const Pin*> device_pins = snap_.pins_at(snap_.device_only_pins_of(*mounts.front()));
  std::vector<std::vector<const Pin*>> own;
  std::vector<const Pin*> all = device_pins;
  for (const Mount* m : mounts) {
    own.push_back(snap_.pins_of(m->key));
    all.insert(all.end(), own.back().begin(), own.back().end());
  }
  // Nothing placed keeps the filesystem: what may (its pinners say "may").
  if (all.empty()) all = device_pins = snap_.pins_at(snap_.suspects_keeping(*mounts.front()));
  Line row = out_.new_line();
  fill(row, ctx_.cfg.columns, [&](Column col) {
    auto cell = superblock_cell(snap_, *sb, col, ctx_.cfg);
    return cell ? cell : pins_summary_cell(col, all, snap_);
  });
  for (std::size_t k = 0; k < mounts.size(); ++k) {
    if (mounts[k]->kernel_held())  // no mount id: its pins are the filesystem's
      device_pins.insert(device_pins.end(), own[k].begin(), own[k].end());
    else
      add_pinner_rows(own[k], nullptr, add_mount_row(*mounts[k], own[k], row));
  }
  add_pinner_rows(device_pins, nullptr, row);
}

Line DetachedRows::add_mount_row(const Mount& m, const std::vector<const Pin*>& pins, Line parent) {
  Line line = out_.new_line(parent);
  fill(line, ctx_.cfg.columns, [&](Column col) {
    if (col == Column::Layers) return layers_cell(snap_, m);
    auto cell = mount_cell(snap_, m, col, ctx_.cfg);
    return cell ? cell : pins_summary_cell(col, pins, snap_);
  });
  return line;
}

void DetachedRows::add_list_rows(const Mount& m) {
  const std::vector<const Pin*> pins = pins_for(snap_, m);
  if (pins.empty() || !(shows_pinners(ctx_.cfg) || ctx_.cfg.per_pin)) {
    add_mount_row(m, pins, Line());
    return;
  }
  add_pinner_rows(pins, &m, Line());
}

// A row per pinner (or per pin); in a list (M set) each row also carries its mount's cells.
void DetachedRows::add_pinner_rows(const std::vector<const Pin*>& pins, const Mount* m, Line parent) {
  const std::vector<Column>& cols = ctx_.cfg.columns;
  auto mount_part = [&](Column col) -> std::optional<std::string> {
    if (m == nullptr) return std::nullopt;
    return col == Column::Layers ? layers_cell(snap_, *m) : mount_cell(snap_, *m, col, ctx_.cfg);
  };
  for (const detach::Pinner& pinner : detach::group_pinners(pins)) {
    if (!ctx_.cfg.per_pin) {
      fill(out_.new_line(parent), cols, [&](Column col) {
        auto cell = mount_part(col);
        return cell ? cell : pinner_cell(pinner, col, snap_);
      });
      continue;
    }
    for (const Pin* pin : pinner.pins)
      fill(out_.new_line(parent), cols, [&](Column col) {
        auto cell = mount_part(col);
        return cell ? cell : pin_cell(pinner, *pin, col, snap_);
      });
  }
}

}  // namespace findmnt

#include "detached.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "cli/diag.h"
#include "detached_cells.h"
#include "explain/pinner.h"
#include "explain/printable.h"
#include "kernel/nsfs.h"
#include "render.h"
#include "scan/scan.h"

namespace findmnt {
namespace {

using detach::Mount;
using detach::Pin;
using detach::Snapshot;
using detach::output::Line;

bool kernel_held(const Mount& m) {
  return (m.key & detach::kKernelHeldKeyBit) != 0;
}

// The list: one row per detached mount, its pinners in one cell. The tree: one row per superblock, its
// detached mounts below it, and below each mount one row per pinner; kernel pins that hold the superblock
// through its device only (a loop device's backing file: the kernel does not say through which mount) hang
// under the superblock itself.
class DetachedRenderer {
 public:
  DetachedRenderer(const Context& ctx, const Snapshot& snap, detach::output::Table& out)
      : ctx_(ctx), snap_(snap), out_(out) {}

  void add(const Mount& m) {
    if (!ctx_.cfg.tree) {
      add_mount_row(m, pins_for(snap_, m), Line());
      return;
    }
    auto group =
        std::find_if(groups_.begin(), groups_.end(), [&](const auto& g) { return g.first == m.dev; });
    if (group == groups_.end()) group = groups_.insert(groups_.end(), {m.dev, {}});
    group->second.push_back(&m);
  }

  // Writes the tree rows, once every mount is added.
  void finish() {
    for (const auto& [dev, mounts] : groups_) add_superblock(dev, mounts);
  }

 private:
  // The superblock row sums what its rows below it show: each mount's own pins, and the kernel pins that
  // hold it through its device only (Snapshot::device_only_pins_of: the same for every detached mount of it).
  void add_superblock(detach::DeviceNumber dev, const std::vector<const Mount*>& mounts) {
    const detach::Superblock* sb = snap_.superblock(dev);  // build_superblocks() made one per device
    std::vector<const Pin*> device_pins = snap_.pins_at(snap_.device_only_pins_of(*mounts.front()));
    std::vector<std::vector<const Pin*>> own;
    std::vector<const Pin*> all = device_pins;
    for (const Mount* m : mounts) {
      own.push_back(snap_.pins_of(m->key));
      all.insert(all.end(), own.back().begin(), own.back().end());
    }
    Line row = out_.new_line();
    const std::vector<Column>& cols = ctx_.cfg.columns;
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (auto text = superblock_cell(*sb, cols[i], all, snap_, ctx_.cfg))
        row.set(i, detach::escape_invalid_utf8(*text));
    for (std::size_t k = 0; k < mounts.size(); ++k) {
      if (kernel_held(*mounts[k]))  // no mount id: its pins are the superblock's
        device_pins.insert(device_pins.end(), own[k].begin(), own[k].end());
      else
        add_pinner_rows(own[k], add_mount_row(*mounts[k], own[k], row));
    }
    add_pinner_rows(device_pins, row);
  }

  Line add_mount_row(const Mount& m, const std::vector<const Pin*>& pins, Line parent) {
    Line line = out_.new_line(parent);
    const std::vector<Column>& cols = ctx_.cfg.columns;
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (auto text = mount_cell(m, cols[i], pins, snap_, ctx_.cfg))
        line.set(i, detach::escape_invalid_utf8(*text));
    return line;
  }

  // One child row per distinct pinner (detach::distinct_pins).
  void add_pinner_rows(const std::vector<const Pin*>& pins, Line parent) {
    const std::vector<Column>& cols = ctx_.cfg.columns;
    for (const Pin* pin : detach::distinct_pins(snap_, pins)) {
      Line line = out_.new_line(parent);
      for (std::size_t i = 0; i < cols.size(); ++i)
        if (auto text = pin_cell(*pin, cols[i], snap_)) line.set(i, detach::escape_invalid_utf8(*text));
    }
  }

  const Context& ctx_;
  const Snapshot& snap_;
  detach::output::Table& out_;
  std::vector<std::pair<detach::DeviceNumber, std::vector<const Mount*>>> groups_;  // in listing order
};

void warn_gaps(const Snapshot& snap) {
  if (snap.gaps.denied > 0)
    cli::warnx("warning: " + std::to_string(snap.gaps.denied) +
               " /proc entries could not be read (permission denied); some pinners may be missing");
}

}  // namespace

void hint_detached_holders(const Context& ctx) {
  const Match& f = ctx.cfg.match;  // the filters as given, before any source/target swap
  if (!f.source && !f.majmin) return;
  detach::ScanOptions options;
  options.detail_pins_of = [](const Mount&) { return false; };
  detach::Result<Snapshot> snap = detach::take_snapshot(options);
  if (!snap) return;
  for (const Mount* m : snap->detached_mounts()) {
    bool hit = f.majmin ? m->dev.to_dev() == *f.majmin : same_device(*m, *f.source);
    if (!hit) continue;
    cli::warnx((f.source ? *f.source : m->dev.str()) + " is not mounted, but a lazily unmounted " +
               m->fstype + " filesystem on it is still pinned by: " +
               detach::describe_pins(*snap, pins_for(*snap, *m)) + " (see findmnt --detached)");
    return;
  }
}

int run_detached(Context& ctx) {
  if (ctx.cfg.task_tid) {
    auto ns = detach::task_mount_namespace("/proc", *ctx.cfg.task_tid);
    if (!ns) {
      cli::warn("cannot open /proc/" + std::to_string(*ctx.cfg.task_tid) + "/ns/mnt", ns.error().err);
      return EXIT_FAILURE;
    }
    ctx.task_ns = *ns;
  }
  if (ctx.cfg.poll) return poll_detached(ctx);
  detach::ScanOptions options;
  // Only detached mounts are shown: details (paths, access modes) of other pins are not needed.
  options.detail_pins_of = [](const Mount&) { return false; };
  detach::Result<Snapshot> snap = detach::take_snapshot(options);
  if (!snap) {
    cli::warnx("cannot take a snapshot of the system: " + snap.error().message());
    return EXIT_FAILURE;
  }
  warn_gaps(*snap);
  std::optional<detach::output::Table> out = make_output_table(ctx);
  if (!out) return EXIT_FAILURE;
  DetachedRenderer renderer(ctx, *snap, *out);
  int listed = 0;
  for (const Mount* m : snap->detached_mounts()) {
    if (detached_matches(*m, ctx, &*snap) == ctx.cfg.invert) continue;
    renderer.add(*m);
    ++listed;
    if (ctx.cfg.first_only) break;
  }
  if (!listed) return EXIT_FAILURE;
  renderer.finish();
  return out->print() == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace findmnt

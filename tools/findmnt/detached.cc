#include "detached.h"

#include <sys/sysmacros.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <set>

#include "diag.h"
#include "explain/pinner.h"
#include "explain/printable.h"
#include "render.h"
#include "scan/detach_monitor.h"
#include "scan/scan.h"

namespace findmnt {
namespace {

using detach::Mount;
using detach::Pin;
using detach::Snapshot;
using detach::output::Line;

// What pins a detached mount: pins on the mount itself, plus kernel pins known only by the superblock
// (a loop device's backing file) when no attached mount shares that superblock.
std::vector<const Pin*> pins_for(const Snapshot& snap, const Mount& m) {
  std::vector<const Pin*> pins = snap.pins_of(m.key);
  const detach::Superblock* sb = snap.superblock(m.dev);
  if (!sb || !sb->attached.empty()) return pins;
  for (const Pin* pin : snap.pins_at(snap.device_only_pins(m.dev))) pins.push_back(pin);
  return pins;
}

// -S accepts a source or MAJ:MIN; -T/-M the former mount point; -t/-O as in findmnt; -N a task's namespace.
bool passes_filters(const Mount& m, const Snapshot& snap, const Context& ctx) {
  const Match& f = ctx.match;
  if (f.id && m.old_id != static_cast<std::uint32_t>(*f.id)) return false;
  if (f.uniq_id && m.unique_id != *f.uniq_id) return false;
  if (f.fstype && !mnt_match_fstype(m.fstype.c_str(), f.fstype->c_str())) return false;
  if (f.options) {
    std::string all = m.vfs_options + (m.fs_options.empty() ? "" : "," + m.fs_options);
    if (!mnt_match_options(all.c_str(), f.options->c_str())) return false;
  }
  if (f.majmin && m.dev.to_dev() != *f.majmin) return false;
  if (f.source && m.source != *f.source) return false;
  if (f.target && m.target != *f.target) return false;
  return !ctx.task_ns || std::any_of(snap.pins.begin(), snap.pins.end(), [&](const Pin& p) {
    const detach::Task* t = p.mount == m.key ? snap.task(p.pid) : nullptr;
    return t && t->mnt_ns_inode == *ctx.task_ns;
  });
}

std::string majmin_text(const detach::DeviceNumber& dev, const Config& cfg) {
  char buf[64];
  if (cfg.raw || cfg.pairs || cfg.json)
    std::snprintf(buf, sizeof buf, "%u:%u", dev.major, dev.minor);
  else
    std::snprintf(buf, sizeof buf, "%3u:%-3u", dev.major, dev.minor);
  return buf;
}

std::string pids_text(const std::vector<const Pin*>& pins) {
  std::set<pid_t> pids;
  for (const Pin* p : pins)
    if (detach::is_task_pin(p->kind)) pids.insert(p->pid);
  std::string out;
  for (pid_t pid : pids) out += (out.empty() ? "" : ",") + std::to_string(pid);
  return out;
}

std::optional<std::string> nonempty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional(s);
}

std::optional<std::string> mount_cell(const Mount& m, Column col, const Snapshot& snap, const Config& cfg) {
  switch (col) {
    case Column::Id:
      return m.old_id ? std::optional(std::to_string(m.old_id)) : std::nullopt;
    case Column::UniqId:
      return m.unique_id ? std::optional(std::to_string(m.unique_id)) : std::nullopt;
    case Column::Parent:
      return m.parent && m.parent != m.key ? std::optional(std::to_string(m.parent)) : std::nullopt;
    case Column::Source:
    case Column::Sources:
      if (m.source.empty()) return std::nullopt;
      if (!cfg.nofsroot && !m.root.empty() && m.root != "/") return m.source + "[" + m.root + "]";
      return m.source;
    case Column::Majmin:
      return majmin_text(m.dev, cfg);
    case Column::Fstype:
      return nonempty(m.fstype);
    case Column::Target:
      return nonempty(m.target);
    case Column::Fsroot:
      return nonempty(m.root);
    case Column::Options:
      return nonempty(m.vfs_options + (m.fs_options.empty() || m.vfs_options.empty() ? "" : ",") +
                      m.fs_options);
    case Column::VfsOptions:
      return nonempty(m.vfs_options);
    case Column::FsOptions:
      return nonempty(m.fs_options);
    case Column::Pinners:
      return nonempty(detach::describe_pins(snap, pins_for(snap, m)));
    case Column::Pins:
      return std::to_string(pins_for(snap, m).size());
    case Column::Pids:
      return nonempty(pids_text(pins_for(snap, m)));
    default:
      return std::nullopt;
  }
}

std::optional<std::string> pin_cell(const Pin& pin, Column col, const Snapshot& snap) {
  const bool task_pin = detach::is_task_pin(pin.kind);
  const detach::Task* task = task_pin ? snap.task(pin.pid) : nullptr;
  switch (col) {
    case Column::Pid:
      return task_pin ? std::optional(std::to_string(pin.pid)) : std::nullopt;
    case Column::Command:
      return task ? nonempty(task->command) : std::nullopt;
    case Column::User:
      return task ? nonempty(task->user) : std::nullopt;
    case Column::Unit:
      return task ? nonempty(task->unit) : std::nullopt;
    case Column::How:
      return pin.how();
    case Column::Pinners:
      return detach::describe_pin(snap, pin);
    default:
      return std::nullopt;
  }
}

class DetachedRenderer {
 public:
  DetachedRenderer(const Context& ctx, const Snapshot& snap, detach::output::Table& out)
      : ctx_(ctx), snap_(snap), out_(out) {}

  void add(const Mount& m) {
    Line line = out_.new_line();
    const std::vector<Column>& cols = ctx_.cfg.columns;
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (auto text = mount_cell(m, cols[i], snap_, ctx_.cfg))
        line.set(i, detach::escape_invalid_utf8(*text));
    if (ctx_.cfg.tree) add_pinner_rows(m, line);
  }

 private:
  // One child row per distinct pinner description, in describe_pins() order.
  void add_pinner_rows(const Mount& m, Line parent) {
    std::set<std::string> seen;
    std::vector<const Pin*> pins = pins_for(snap_, m);
    std::stable_sort(pins.begin(), pins.end(), [](const Pin* a, const Pin* b) {
      bool ta = detach::is_task_pin(a->kind), tb = detach::is_task_pin(b->kind);
      if (ta != tb) return ta;
      return a->pid != b->pid ? a->pid < b->pid : a->fd < b->fd;
    });
    const std::vector<Column>& cols = ctx_.cfg.columns;
    for (const Pin* pin : pins) {
      if (!seen.insert(detach::describe_pin(snap_, *pin)).second) continue;
      Line line = out_.new_line(parent);
      for (std::size_t i = 0; i < cols.size(); ++i)
        if (auto text = pin_cell(*pin, cols[i], snap_)) line.set(i, detach::escape_invalid_utf8(*text));
    }
  }

  const Context& ctx_;
  const Snapshot& snap_;
  detach::output::Table& out_;
};

void warn_gaps(const Snapshot& snap) {
  if (snap.gaps.denied > 0)
    warnx("warning: " + std::to_string(snap.gaps.denied) +
          " /proc entries could not be read (permission denied); some pinners may be missing");
}

// The source a user names may be a symlink (/dev/disk/by-label/x) of the device the snapshot knows.
bool same_device(const Mount& m, const std::string& source) {
  if (m.source == source) return true;
  char* real = realpath(source.c_str(), nullptr);
  bool same = real && m.source == real;
  std::free(real);
  return same;
}

// One --detached --poll row: ACTION is "detach" (lazily unmounted, still pinned) or "release" (really gone).
void add_event_row(const Context& ctx, const detach::DetachEvent& ev, detach::output::Table& out) {
  Line line = out.new_line();
  const bool detached = ev.kind == detach::DetachEvent::Kind::Detached;
  const std::vector<Column>& cols = ctx.cfg.columns;
  const Snapshot empty;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    std::optional<std::string> text;
    if (cols[i] == Column::Action)
      text = detached ? "detach" : "release";
    else if (cols[i] == Column::OldTarget)
      text = nonempty(ev.mount.target);
    else if (cols[i] == Column::Pinners)
      text = nonempty(ev.pinners);
    else if (cols[i] != Column::Pins && cols[i] != Column::Pids)
      text = mount_cell(ev.mount, cols[i], empty, ctx.cfg);
    if (text) line.set(i, detach::escape_invalid_utf8(*text));
  }
}

bool event_wanted(const Context& ctx, const detach::DetachEvent& ev) {
  const Match& f = ctx.match;
  bool ok = (!f.fstype || mnt_match_fstype(ev.mount.fstype.c_str(), f.fstype->c_str())) &&
            (!f.source || same_device(ev.mount, *f.source)) &&
            (!f.majmin || ev.mount.dev.to_dev() == *f.majmin) &&
            (!f.target || ev.mount.target == *f.target) && (!f.uniq_id || ev.mount.unique_id == *f.uniq_id);
  return ok != ctx.cfg.invert;
}

// --detached --poll: print each lazy detach as it happens, and each detached mount's real end, until -w
// expires.
int poll_detached(Context& ctx) {
  detach::ScanOptions options;
  options.detail_pins_of = [](const Mount&) { return false; };
  auto monitor = detach::DetachMonitor::start(options, std::chrono::milliseconds(1000));
  if (!monitor) {
    warnx("cannot watch mounts: " + monitor.error().message());
    return EXIT_FAILURE;
  }
  if (!monitor->uses_fanotify())
    warnx("watching detaches needs fanotify mount events (Linux 6.15): polling every second instead");
  std::optional<detach::output::Table> out = make_output_table(ctx);
  if (!out) return EXIT_FAILURE;
  for (;;) {
    auto events = monitor->next(std::chrono::milliseconds(ctx.cfg.timeout));
    if (!events) {
      warnx("cannot watch mounts: " + events.error().message());
      return EXIT_FAILURE;
    }
    if (events->empty()) return EXIT_SUCCESS;  // -w expired
    int count = 0;
    for (const detach::DetachEvent& ev : *events)
      if (event_wanted(ctx, ev) && (!ctx.cfg.first_only || count == 0)) add_event_row(ctx, ev, *out), ++count;
    if (count && out->print_lines() != 0) return EXIT_FAILURE;
    std::fflush(stdout);
    out->remove_lines();
    if (count && ctx.cfg.first_only) return EXIT_SUCCESS;
  }
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
    warnx((f.source ? *f.source : m->dev.str()) + " is not mounted, but a lazily unmounted " + m->fstype +
          " filesystem on it is still pinned by: " + detach::describe_pins(*snap, pins_for(*snap, *m)) +
          " (see findmnt --detached)");
    return;
  }
}

int run_detached(Context& ctx) {
  if (ctx.cfg.poll) return poll_detached(ctx);
  detach::ScanOptions options;
  // Only detached mounts are shown: details (paths, access modes) of other pins are not needed.
  options.detail_pins_of = [](const Mount&) { return false; };
  detach::Result<Snapshot> snap = detach::take_snapshot(options);
  if (!snap) {
    warnx("cannot take a snapshot of the system: " + snap.error().message());
    return EXIT_FAILURE;
  }
  warn_gaps(*snap);
  if (ctx.cfg.task_tid) {
    const detach::Task* task = snap->task(static_cast<pid_t>(*ctx.cfg.task_tid));
    ctx.task_ns = task ? task->mnt_ns_inode : 0;  // a task pinning nothing has no detached mounts to show
  }
  std::optional<detach::output::Table> out = make_output_table(ctx);
  if (!out) return EXIT_FAILURE;
  DetachedRenderer renderer(ctx, *snap, *out);
  int listed = 0;
  for (const Mount* m : snap->detached_mounts()) {
    if (passes_filters(*m, *snap, ctx) == ctx.cfg.invert) continue;
    renderer.add(*m);
    ++listed;
    if (ctx.cfg.first_only) break;
  }
  if (!listed) return EXIT_FAILURE;
  return out->print() == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace findmnt

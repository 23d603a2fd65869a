// --detached --poll: each lazy detach as it happens, and each detached mount's real end. Each detach seen is
// also recorded in the detach journal, so that a later `findmnt --detached` can tell where the mount was.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "cli/diag.h"
#include "detached.h"
#include "detached_cells.h"
#include "explain/printable.h"
#include "journal/journal.h"
#include "render.h"
#include "scan/detach_monitor.h"

namespace findmnt {
namespace {

using detach::output::Line;

// One row: ACTION is "detach" (lazily unmounted, still pinned) or "release" (really gone).
void add_event_row(const Context& ctx, const detach::DetachEvent& ev, long long seen_at,
                   detach::output::Table& out) {
  Line line = out.new_line();
  const bool detached = ev.kind == detach::DetachEvent::Kind::Detached;
  const std::vector<Column>& cols = ctx.cfg.columns;
  const detach::Snapshot empty;
  detach::Mount m = ev.mount;
  if (detached) m.detached_at = seen_at;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    std::optional<std::string> text;
    if (cols[i] == Column::Action)
      text = detached ? "detach" : "release";
    else if (cols[i] == Column::OldTarget)
      text = m.target.empty() ? std::nullopt : std::optional(m.target);
    else if (cols[i] == Column::Pinners)
      text = ev.pinners.empty() ? std::nullopt : std::optional(ev.pinners);
    else if (cols[i] != Column::Pins && cols[i] != Column::Pids)
      text = mount_cell(m, cols[i], {}, empty, ctx.cfg);
    if (text) line.set(i, detach::escape_invalid_utf8(*text));
  }
}

bool event_wanted(const Context& ctx, const detach::DetachEvent& ev) {
  return detached_matches(ev.mount, ctx, nullptr) != ctx.cfg.invert;
}

// Records every detach, whatever the filters show. A user who may not write the journal (not root) still
// gets the output: that is told once, not per event.
class DetachRecorder {
 public:
  void record(const detach::DetachEvent& ev, long long seen_at) {
    if (ev.kind != detach::DetachEvent::Kind::Detached || !enabled_) return;
    if (boot_id_.empty()) {
      auto boot = detach::current_boot_id();
      if (!boot) return disable(boot.error());
      boot_id_ = *boot;
    }
    detach::Status done = journal_.append(detach::record_of(ev.mount, seen_at, "findmnt --poll", boot_id_));
    if (!done) disable(done.error());
  }

 private:
  void disable(const detach::Error& e) {
    enabled_ = false;
    if (e.err != EACCES && e.err != EPERM && e.err != EROFS)
      cli::warnx("warning: detaches are not recorded: " + e.message());
  }

  detach::DetachJournal journal_;
  std::string boot_id_;
  bool enabled_ = true;
};

long long now_seconds() {
  using std::chrono::system_clock;
  return std::chrono::duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int poll_detached(Context& ctx) {
  detach::ScanOptions options;
  options.detail_pins_of = [](const detach::Mount&) { return false; };
  auto monitor = detach::DetachMonitor::start(options, std::chrono::milliseconds(1000));
  if (!monitor) {
    cli::warnx("cannot watch mounts: " + monitor.error().message());
    return EXIT_FAILURE;
  }
  if (!monitor->uses_fanotify())
    cli::warnx("watching detaches needs fanotify mount events (Linux 6.15): polling every second instead");
  std::optional<detach::output::Table> out = make_output_table(ctx);
  if (!out) return EXIT_FAILURE;
  DetachRecorder recorder;
  for (;;) {
    auto events = monitor->next(std::chrono::milliseconds(ctx.cfg.timeout));
    if (!events) {
      cli::warnx("cannot watch mounts: " + events.error().message());
      return EXIT_FAILURE;
    }
    if (events->empty()) return EXIT_SUCCESS;  // -w expired
    const long long seen_at = now_seconds();
    int count = 0;
    for (const detach::DetachEvent& ev : *events) {
      recorder.record(ev, seen_at);
      if (event_wanted(ctx, ev) && (!ctx.cfg.first_only || count == 0))
        add_event_row(ctx, ev, seen_at, *out), ++count;
    }
    if (count && out->print_lines() != 0) return EXIT_FAILURE;
    std::fflush(stdout);
    out->remove_lines();
    if (count && ctx.cfg.first_only) return EXIT_SUCCESS;
  }
}

}  // namespace findmnt

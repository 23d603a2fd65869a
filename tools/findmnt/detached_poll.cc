// SPDX-License-Identifier: GPL-2.0-or-later
// --detached --poll: each lazy detach as it happens, and each detached mount's real end. Each detach seen is
// also recorded in the detach journal, so that a later `findmnt --detached` can tell where the mount was.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <optional>

#include "base/i18n.h"
#include "base/wall_clock.h"
#include "cli/diag.h"
#include "detached.h"
#include "detached_cells.h"
#include "detached_json.h"
#include "journal/journal.h"
#include "render.h"
#include "scan/detach_monitor.h"

namespace findmnt {
namespace {

using detach::output::Line;

const char* action_of(const detach::DetachEvent& ev) {
  return ev.kind == detach::DetachEvent::Kind::Detached ? "detach" : "release";
}

// One row: ACTION is "detach" (lazily unmounted, still pinned) or "release" (really gone). The pinner
// columns (PINNERS, PIDS, PINS) sum up what keeps it; its pinners in full are in `findmnt --detached`.
void add_event_row(const Context& ctx, const detach::DetachEvent& ev, const detach::Mount& m,
                   detach::output::Table& out) {
  Line line = out.new_line();
  const std::vector<Column>& cols = ctx.cfg.columns;
  const std::vector<const detach::Pin*> pins = ev.pins();
  for (std::size_t i = 0; i < cols.size(); ++i) {
    std::optional<std::string> text;
    if (cols[i] == Column::Action)
      text = action_of(ev);
    else if (cols[i] == Column::OldTarget)
      text = m.target.empty() ? std::nullopt : std::optional(m.target);
    else
      text = mount_cell(ev.keeping, m, cols[i], ctx.cfg);
    if (!text) text = pins_summary_cell(cols[i], pins, ev.keeping);
    // As it is: libsmartcols escapes what is not printable ("\xff") in every style a table prints (see fill()
    // in detached_rows.cc).
    if (text) line.set(i, *text);
  }
}

// -J: libsmartcols 2.38 cannot print a JSON table line by line (util-linux's own `findmnt --poll -J`
// aborts), so each event is one JSON object on a line of its own.
bool print_event_json(const Context& ctx, const detach::DetachEvent& ev, const detach::Mount& m) {
  std::string text = json_text(detached_event_json(ctx, m, action_of(ev), ev.keeping, ev.pins()), true);
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
}

bool event_wanted(const Context& ctx, const detach::DetachEvent& ev) {
  return detached_matches(ev.mount, ctx, nullptr) != ctx.cfg.invert;
}

// Records every detach, whatever the filters show. A user who may not write the journal (not root) still
// gets the output: that is told once, not per event.
// Records each lazy detach in the journal. A failed write (a full /run, the journal being replaced) loses
// nothing: the record waits, with the others (at most kMaxWaiting, the oldest dropped first and counted), and
// all are written, oldest first, at the next event or after kRetryAfter. A record whose mount is released
// meanwhile is dropped: it would tell nothing of a filesystem that is gone. Only a journal this user may not
// write (EACCES, EPERM) stops recording for good. Said once when recording stops, once when it works again.
class DetachRecorder {
 public:
  static constexpr std::size_t kMaxWaiting = 1024;
  static constexpr std::chrono::milliseconds kRetryAfter{2000};

  void take(const detach::DetachEvent& ev, long long seen_at) {
    if (stopped_) return;
    if (ev.kind == detach::DetachEvent::Kind::Released) {
      if (ev.mount.unique_id != 0)
        std::erase_if(waiting_,
                      [&](const detach::DetachRecord& r) { return r.unique_id == ev.mount.unique_id; });
      return;
    }
    // Known by its device only and never seen attached: no id to join and no place to tell, nothing a record
    // would add (another scenario's, a host's filesystem held by the kernel).
    if (ev.mount.unique_id == 0 && ev.mount.target.empty()) return;
    if (boot_id_.empty()) {
      auto boot = detach::current_boot_id();
      if (!boot) return failed(boot.error());
      boot_id_ = *boot;
    }
    waiting_.push_back(detach::record_of(ev.mount, seen_at, "findmnt --poll", boot_id_));
    if (waiting_.size() > kMaxWaiting) {
      waiting_.pop_front();
      ++dropped_;
    }
  }

  // Writes what waits, oldest first, up to the first failure.
  void flush() {
    while (!stopped_ && !waiting_.empty()) {
      if (detach::Status done = journal_.append(waiting_.front()); !done) return failed(done.error());
      waiting_.pop_front();
    }
    if (failing_ && !stopped_) {
      failing_ = false;
      if (dropped_ == 0)
        cli::warnx(detach::tr("detaches are recorded in the journal again"));
      else
        cli::warnx(detach::trnf(
            "detaches are recorded in the journal again ({0} record was lost: too many waited)",
            "detaches are recorded in the journal again ({0} records were lost: too many waited)", dropped_,
            dropped_));
      dropped_ = 0;
    }
  }

  // Whether records wait for a retry: the watcher then wakes after kRetryAfter even without an event.
  bool waiting() const { return !stopped_ && !waiting_.empty(); }

 private:
  // Told once: a watcher whose detaches go unrecorded leaves `findmnt --detached` without former mount
  // points.
  void failed(const detach::Error& e) {
    if (e.err == EACCES || e.err == EPERM) {
      stopped_ = true;
      waiting_.clear();
      cli::warnx(detach::tr("warning: detaches are not recorded in the journal: only root may write it"));
      return;
    }
    if (failing_) return;
    failing_ = true;
    cli::warnx(
        detach::trf("warning: detaches are not recorded in the journal: {0} (they are kept, and written "
                    "once it works again)",
                    e.message()));
  }

  detach::DetachJournal journal_;
  std::string boot_id_;
  std::deque<detach::DetachRecord> waiting_;
  std::size_t dropped_ = 0;
  bool failing_ = false;  // the last write failed: said once
  bool stopped_ = false;  // for good: this user may not write the journal
};

}  // namespace

int poll_detached(Context& ctx) {
  detach::ScanOptions options;
  options.detail_pins_of = [](const detach::Mount&) { return false; };
  auto monitor = detach::DetachMonitor::start(options, std::chrono::milliseconds(1000));
  if (!monitor) {
    cli::warnx(detach::trf("cannot watch mounts: {0}", monitor.error().message()));
    return EXIT_FAILURE;
  }
  if (!monitor->uses_fanotify())
    cli::warnx(detach::tr(
        "watching detaches needs fanotify mount events (Linux 6.15): polling every second instead"));
  if (monitor->in_child_pid_namespace())
    cli::warnx(
        detach::tr("warning: watching only the mount namespaces of this PID namespace's processes: the "
                   "initial PID namespace sees them all"));
  else if (!monitor->sees_every_namespace())
    cli::warnx(
        detach::tr("warning: watching only the mount namespaces this user can list: root sees them all"));
  std::optional<detach::output::Table> out = make_output_table(ctx);
  if (!out) return EXIT_FAILURE;
  DetachRecorder recorder;
  // -w bounds each wait for an event, as util-linux's --poll does: every event starts it again.
  using Clock = std::chrono::steady_clock;
  auto wait_ends = [&ctx]() -> std::optional<Clock::time_point> {
    if (ctx.cfg.timeout < 0) return std::nullopt;
    return Clock::now() + std::chrono::milliseconds(ctx.cfg.timeout);
  };
  std::optional<Clock::time_point> deadline = wait_ends();
  for (;;) {
    // Records that wait for a retry wake the watcher after a while, events or not (-w still ends it).
    std::chrono::milliseconds wait(-1);
    if (deadline)
      wait = std::max(std::chrono::milliseconds(0),
                      std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()));
    if (recorder.waiting() && (wait.count() < 0 || wait > DetachRecorder::kRetryAfter))
      wait = DetachRecorder::kRetryAfter;
    auto events = monitor->next(wait);
    if (!events) {
      cli::warnx(detach::trf("cannot watch mounts: {0}", events.error().message()));
      return EXIT_FAILURE;
    }
    if (events->empty()) {
      if (deadline && Clock::now() >= *deadline) return EXIT_SUCCESS;  // -w expired
      recorder.flush();
      continue;
    }
    deadline = wait_ends();
    const long long seen_at = detach::now_seconds();
    for (const detach::DetachEvent& ev : *events) recorder.take(ev, seen_at);
    recorder.flush();
    int count = 0;
    for (const detach::DetachEvent& ev : *events) {
      if (!event_wanted(ctx, ev) || (ctx.cfg.first_only && count > 0)) continue;
      detach::Mount m = ev.mount;
      if (ev.kind == detach::DetachEvent::Kind::Detached) m.detached_at = seen_at;
      if (!ctx.cfg.json)
        add_event_row(ctx, ev, m, *out);
      else if (!print_event_json(ctx, ev, m))
        return EXIT_FAILURE;
      ++count;
    }
    if (count && !ctx.cfg.json) {
      if (out->print_lines() != 0) return EXIT_FAILURE;
      // Each batch of events is a table of its own, laid out from its rows alone (the header only once), as
      // util-linux lays out its first batch: libsmartcols keeps what it learnt of a column from the rows a
      // table printed before (a SOURCE it took for extreme then), and would break a later row over lines.
      ctx.cfg.noheadings = true;
      if (!(out = make_output_table(ctx))) return EXIT_FAILURE;
    }
    std::fflush(stdout);
    if (count && ctx.cfg.first_only) return EXIT_SUCCESS;
  }
}

}  // namespace findmnt

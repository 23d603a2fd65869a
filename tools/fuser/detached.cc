// SPDX-License-Identifier: GPL-2.0-or-later
#include "detached.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>

#include "base/i18n.h"
#include "claims.h"
#include "explain/pinner.h"
#include "model/pinner.h"
#include "uses.h"

namespace fuser {
namespace {

using detach::Mount;
using detach::Pin;

std::string what_fs(const Mount& m, bool with_source = true) {
  std::string out = m.fstype.empty() ? detach::tr("filesystem") : m.fstype;
  if (with_source && !m.source.empty()) out += " " + m.source;
  return out;
}

// The label of a detached mount's own report: its device, else its id.
std::string label_of(const Mount& m) {
  if (!m.source.empty()) return m.source;
  // Known only through a loop device or swap file: no mount id, just its device.
  if (m.kernel_held()) return "device " + m.dev.str();
  return "mount " + std::to_string(m.key);
}

// A device names the detached mounts of the filesystems on it (btrfs by the device its source names), and
// of those that claim it besides their source (their log, journal, another btrfs device).
bool matches_name(const Mount& m, const Query& q, const detach::Snapshot& snap) {
  if (q.stat_ok && S_ISBLK(q.facts.mode)) {
    if (snap.on_device(m, q.facts.rdev) || m.source == q.path) return true;
  }
  return !m.target.empty() && (m.target == q.path || m.target == lexical_absolute(q.arg.text));
}

// Each process's pins in words: its own, then its threads' with their own tables ("8290: cwd").
void describe_uses(std::vector<ProcessUse>& uses) {
  for (ProcessUse& use : uses) {
    std::string how;
    for (const detach::Pinner& p : detach::group_pinners(use.pins)) {
      if (!how.empty()) how += "; ";
      if (p.kind == detach::PinnerKind::Thread) how += detach::trf("thread {0}: ", p.tid);
      how += detach::summarize_pins(p, detach::Words::person());
    }
    use.how = how;
  }
}

// "LABEL: nothing the scan sees holds it; it may be held by ...": what the scan could not place, for mounts
// nothing placed keeps alive. fuser names what holds a name, so these are a note, never a row (nor a kill).
void note_suspects(const std::string& label, const std::vector<const Mount*>& mounts, const MatchContext& ctx,
                   std::vector<std::string>& notes) {
  const detach::Snapshot& snap = ctx.snapshot;
  std::vector<std::size_t> suspects;
  for (const Mount* m : mounts) {
    if (!snap.pins_keeping(*m).empty()) return;
    std::vector<std::size_t> more = snap.suspects_keeping(*m);
    suspects.insert(suspects.end(), more.begin(), more.end());
  }
  std::sort(suspects.begin(), suspects.end());
  suspects.erase(std::unique(suspects.begin(), suspects.end()), suspects.end());
  if (mounts.empty() || suspects.empty()) return;
  // TRANSLATORS: {0} is what fuser was asked about, {1} what may hold it ("12 (x) io_uring fd 3 (...)").
  notes.push_back(detach::trf("{0}: nothing the scan sees holds it; it may be held by {1}", label,
                              detach::describe_pins(snap, snap.pins_at(suspects), detach::Words::person())));
}

Report report_of(const std::string& label, const std::vector<const Mount*>& mounts, const MatchContext& ctx) {
  const detach::Snapshot& snap = ctx.snapshot;
  Report r;
  r.label = label;
  r.detached = true;
  Uses uses(ctx);
  std::vector<const Pin*> kernel;
  for (const Mount* m : mounts) {
    add_kernel(r, KernelKind::Detached, detached_words(*m, label != m->source));
    for (std::size_t i : snap.pins_keeping(*m)) {
      const Pin& pin = snap.pins[i];
      if (detach::is_task_pin(pin.kind))
        uses.add_task_pin(pin);
      else
        kernel.push_back(&pin);
    }
  }
  add_kernel_pins(r, kernel, snap);
  r.processes = uses.take();
  describe_uses(r.processes);
  order_kernel(r);
  return r;
}

}  // namespace

std::string detached_words(const Mount& m, bool with_source) {
  // TRANSLATORS: {0} is the filesystem's type and source ("ext4 /dev/sdb"), {1} where it was mounted.
  return m.target.empty() ? detach::trf("({0}, detached; mount point not recorded)", what_fs(m, with_source))
                          : detach::trf("{1} ({0}, detached)", what_fs(m, with_source), m.target);
}

std::vector<Report> match_detached(const Query& q, const MatchContext& ctx, std::vector<std::string>& notes) {
  std::vector<Report> out;
  const std::vector<const Mount*> detached = ctx.snapshot.detached_mounts();
  if (q.all) {
    for (const Mount* m : detached) {
      out.push_back(report_of(label_of(*m), {m}, ctx));
      note_suspects(label_of(*m), {m}, ctx, notes);
    }
    return out;
  }
  std::vector<const Mount*> named;
  for (const Mount* m : detached)
    if (matches_name(*m, q, ctx.snapshot)) named.push_back(m);
  Report r = report_of(q.label, named, ctx);
  if (q.stat_ok && S_ISBLK(q.facts.mode)) {
    add_claim_rows(r, ctx.snapshot, q.facts.rdev);
    order_kernel(r);
  }
  out.push_back(std::move(r));
  note_suspects(q.label, named, ctx, notes);
  return out;
}

void note_detached_filesystem(const Query& q, const std::set<detach::MountKey>& mounts,
                              const detach::Snapshot& snap, std::vector<std::string>& notes) {
  bool attached = false;
  std::vector<const Mount*> detached;
  for (detach::MountKey key : mounts) {
    const Mount* m = snap.mount(key);
    if (m == nullptr) continue;
    if (m->attached) attached = true;
    if (!m->attached && !m->unverified) detached.push_back(m);
  }
  if (!attached && !detached.empty()) {
    const Mount& m = *detached.front();
    // A plain umount that the filesystem outlived (an overlay's layers on it) is no lazy unmount.
    if (m.recorded_as_unmounted)
      notes.push_back(
          m.target.empty()
              ? detach::trf("{0}: its filesystem is mounted nowhere: it was unmounted and is still in use "
                            "(fuser --detached -v {0} tells how)",
                            q.label)
              : detach::trf(
                    "{0}: its filesystem is mounted nowhere: it was unmounted from {1} and is still in "
                    "use (fuser --detached -v {0} tells how)",
                    q.label, m.target));
    else
      notes.push_back(
          m.target.empty()
              ? detach::trf("{0}: its filesystem is mounted nowhere: it was lazily unmounted and is "
                            "still in use (fuser --detached -v {0} tells how)",
                            q.label)
              : detach::trf("{0}: its filesystem is mounted nowhere: it was lazily unmounted from {1} "
                            "and is still in use (fuser --detached -v {0} tells how)",
                            q.label, m.target));
  }
  for (const Mount* m : snap.detached_mounts()) {
    if (mounts.count(m->key) || m->target.empty() || m->target != q.path) continue;
    // TRANSLATORS: {1} is the filesystem's type and source ("ext4 /dev/sdb").
    notes.push_back(
        detach::trf("{0}: the {1} once mounted here was lazily unmounted and is still in use; the "
                    "processes listed use what is mounted at {0} now (fuser --detached -v {0} lists "
                    "the others)",
                    q.path, what_fs(*m)));
  }
}

}  // namespace fuser

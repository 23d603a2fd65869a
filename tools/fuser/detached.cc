// SPDX-License-Identifier: GPL-2.0-or-later
#include "detached.h"

#include <sys/stat.h>

#include <map>

#include "claims.h"
#include "explain/pinner.h"
#include "model/pinner.h"
#include "uses.h"

namespace fuser {
namespace {

using detach::Mount;
using detach::Pin;
using detach::PinKind;

std::string what_fs(const Mount& m, bool with_source = true) {
  std::string out = m.fstype.empty() ? "filesystem" : m.fstype;
  if (with_source && !m.source.empty()) out += " " + m.source;
  return out;
}

// The label of a detached mount's own report: its device, else its id.
std::string label_of(const Mount& m) {
  if (!m.source.empty()) return m.source;
  // Known only through a loop device or swap file: no mount id, just its device.
  if (m.key & detach::kKernelHeldKeyBit) return "device " + m.dev.str();
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
      if (p.kind == detach::PinnerKind::Thread) how += "thread " + std::to_string(p.tid) + ": ";
      how += detach::summarize_pins(p);
    }
    use.how = how;
  }
}

Report report_of(const std::string& label, const std::vector<const Mount*>& mounts, const MatchContext& ctx) {
  const detach::Snapshot& snap = ctx.snapshot;
  Report r;
  r.label = label;
  r.detached = true;
  Uses uses(ctx);
  for (const Mount* m : mounts) {
    add_kernel(r, KernelKind::Detached, detached_words(*m, label != m->source));
    for (std::size_t i : snap.pins_keeping(*m)) {
      const Pin& pin = snap.pins[i];
      if (detach::is_task_pin(pin.kind))
        uses.add_task_pin(pin);
      else if (pin.kind == PinKind::LoopBacking)
        add_kernel(r, KernelKind::Loop, pin.holder);
      else if (pin.kind == PinKind::SwapFile)
        add_kernel(r, KernelKind::Swap, pin.holder);
    }
  }
  r.processes = uses.take();
  describe_uses(r.processes);
  order_kernel(r);
  return r;
}

}  // namespace

std::string detached_words(const Mount& m, bool with_source) {
  const std::string what = "(" + what_fs(m, with_source) + ", detached";
  return m.target.empty() ? what + "; mount point not recorded)" : m.target + " " + what + ")";
}

std::vector<Report> match_detached(const Query& q, const MatchContext& ctx) {
  std::vector<Report> out;
  const std::vector<const Mount*> detached = ctx.snapshot.detached_mounts();
  if (q.all) {
    for (const Mount* m : detached) out.push_back(report_of(label_of(*m), {m}, ctx));
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
    notes.push_back(q.label + ": its filesystem is mounted nowhere: it was lazily unmounted" +
                    (m.target.empty() ? "" : " from " + m.target) +
                    " and is still in use (fuser --detached -v " + q.label + " tells how)");
  }
  for (const Mount* m : snap.detached_mounts()) {
    if (mounts.count(m->key) || m->target.empty() || m->target != q.path) continue;
    notes.push_back(q.path + ": the " + what_fs(*m) +
                    " once mounted here was lazily unmounted and is still in use; the processes listed use " +
                    "what is mounted at " + q.path + " now (fuser --detached -v " + q.path +
                    " lists the others)");
  }
}

}  // namespace fuser

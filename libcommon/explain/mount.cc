// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/mount.h"

#include <algorithm>
#include <map>
#include <set>

#include "explain/namespace_owner.h"

namespace detach {
namespace {

// Every mount below M in its namespace, however deep, in mount point order.
std::vector<const Mount*> submounts_of(const Snapshot& snapshot, const Mount& m) {
  std::set<MountKey> inside{m.key};
  std::vector<const Mount*> out;
  // Parents come before their children in neither order for sure: repeat until nothing is added.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [key, other] : snapshot.mounts) {
      if (!other.attached || other.ns_inode != m.ns_inode || inside.count(key) || other.parent == key)
        continue;
      if (!inside.count(other.parent)) continue;
      inside.insert(key);
      out.push_back(&other);
      grew = true;
    }
  }
  std::sort(out.begin(), out.end(), [](const Mount* a, const Mount* b) { return a->target < b->target; });
  return out;
}

// Indexes into Snapshot::pins of what pins mount KEY itself.
std::vector<std::size_t> pins_on(const Snapshot& snapshot, MountKey key) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < snapshot.pins.size(); ++i)
    if (snapshot.pins[i].mount == key) out.push_back(i);
  return out;
}

void add_namespace_owner(const Snapshot& snapshot, MountReason& r) {
  NamespaceOwner owner = namespace_owner(snapshot, r.ns_inode);
  r.ns_id = owner.id;
  r.ns_tasks = std::move(owner.tasks);
  r.ns_units = std::move(owner.units);
  r.ns_kept_alive_by = std::move(owner.kept_alive_by);
}

MountReason mount_reason(MountReasonKind kind, const Mount& m, std::vector<std::size_t> pins) {
  MountReason r;
  r.kind = kind;
  r.mount = m.key;
  r.target = m.target;
  r.pins = std::move(pins);
  return r;
}

// Kernel objects whose file lives on one of DEVS, the kernel naming no mount for it (a loop device's or swap
// file's backing file, an overlay's layer, a binfmt_misc interpreter ...): a reason each, the others' pins
// together.
void add_kernel_reasons(const Snapshot& snapshot, const std::set<DeviceNumber>& devs,
                        std::vector<MountReason>& out) {
  std::set<std::string> seen;
  MountReason objects;
  objects.kind = MountReasonKind::KernelObject;
  for (std::size_t i = 0; i < snapshot.pins.size(); ++i) {
    const Pin& pin = snapshot.pins[i];
    if (is_task_pin(pin.kind) || !devs.count(pin.dev)) continue;
    // Held by device only, or by the kernel-held mount that stands for it.
    const Mount* held = pin.mount != 0 ? snapshot.mount(pin.mount) : nullptr;
    if (pin.mount != 0 && (held == nullptr || !held->kernel_held())) continue;
    if (pin.kind != PinKind::LoopBacking && pin.kind != PinKind::SwapFile) {
      objects.pins.push_back(i);
      continue;
    }
    if (!seen.insert(pin.holder + "\n" + pin.path).second) continue;
    MountReason r;
    r.kind = pin.kind == PinKind::LoopBacking ? MountReasonKind::LoopBackingFile : MountReasonKind::SwapFile;
    r.pins = {i};
    r.file = pin.path;
    if (pin.kind == PinKind::LoopBacking) r.loop = pin.holder;
    out.push_back(std::move(r));
  }
  if (!objects.pins.empty()) out.push_back(std::move(objects));
}

// What MAY hold a mount or filesystem that nothing seen explains. ATTACHED: of a mount still attached, which
// a path that resolves nowhere now cannot be on. ALIVE: the filesystem is known to live on (sysfs lists it),
// so the reason stands even with no suspect: nothing the scan sees holds it.
void add_suspects(const Snapshot& snapshot, bool attached, bool alive, MountReport& report) {
  if (!report.reasons.empty()) return;
  MountReason r;
  r.kind = MountReasonKind::Suspects;
  for (std::size_t i : snapshot.unplaced_pins())
    if (!(attached && snapshot.pins[i].resolves_nowhere)) r.pins.push_back(i);
  if (!r.pins.empty() || alive) report.reasons.push_back(std::move(r));
}

// The caller's chain, by pid: its generation (0 the caller itself).
std::map<pid_t, unsigned> generations(const MountQuestion& question) {
  std::map<pid_t, unsigned> out;
  for (std::size_t i = 0; i < question.caller_chain.size(); ++i)
    out.emplace(question.caller_chain[i], static_cast<unsigned>(i));
  return out;
}

}  // namespace

MountReport explain_busy_mount(const Snapshot& snapshot, const Mount& m, const MountQuestion& question) {
  MountReport report{m.key, m.target, m.dev, {}};
  std::vector<const Mount*> subs = submounts_of(snapshot, m);
  std::map<MountKey, std::vector<std::size_t>> pins_by_mount;  // the pins of others, per mount
  std::map<pid_t, std::vector<std::size_t>> caller_pins;       // the caller chain's, per process
  std::map<pid_t, MountKey> caller_mount;                      // where each of them stands first
  std::set<MountKey> keys{m.key};
  std::set<DeviceNumber> devs{m.dev};
  for (const Mount* s : subs) keys.insert(s->key), devs.insert(s->dev);
  const std::map<pid_t, unsigned> chain = generations(question);
  for (std::size_t i = 0; i < snapshot.pins.size(); ++i) {
    const Pin& pin = snapshot.pins[i];
    if (!keys.count(pin.mount)) continue;
    if (is_task_pin(pin.kind) && chain.count(pin.pid)) {
      caller_pins[pin.pid].push_back(i);
      caller_mount.emplace(pin.pid, pin.mount);
    } else {
      pins_by_mount[pin.mount].push_back(i);
    }
  }
  // Nearest to the caller first: the shell the user types in comes before what started it.
  std::vector<std::pair<unsigned, pid_t>> callers;
  callers.reserve(caller_pins.size());
  for (const auto& [pid, pins] : caller_pins) callers.emplace_back(chain.at(pid), pid);
  std::sort(callers.begin(), callers.end());
  for (const auto& [generation, pid] : callers) {
    const Mount* where = snapshot.mount(caller_mount.at(pid));
    MountReason r = mount_reason(MountReasonKind::CallerInside, where ? *where : m, caller_pins.at(pid));
    r.caller_pid = pid;
    r.generation = generation;
    report.reasons.push_back(std::move(r));
  }
  // Held through its filesystem only (a socket bound to a path in it), M being its only mount.
  for (std::size_t i : snapshot.device_only_pins_of(m))
    if (!chain.count(snapshot.pins[i].pid)) pins_by_mount[m.key].push_back(i);
  if (auto it = pins_by_mount.find(m.key); it != pins_by_mount.end())
    report.reasons.push_back(mount_reason(MountReasonKind::Pinned, m, it->second));
  for (const Mount* s : subs) {
    auto it = pins_by_mount.find(s->key);
    report.reasons.push_back(mount_reason(
        MountReasonKind::Submount, *s, it == pins_by_mount.end() ? std::vector<std::size_t>{} : it->second));
  }
  add_kernel_reasons(snapshot, devs, report.reasons);
  // A pinned copy in another namespace makes the umount busy when it is shared: umount propagates to it.
  for (const auto& [key, other] : snapshot.mounts) {
    if (!other.attached || other.dev != m.dev || other.ns_inode == m.ns_inode) continue;
    std::vector<std::size_t> pins = pins_on(snapshot, key);
    if (pins.empty()) continue;
    MountReason r = mount_reason(MountReasonKind::OtherNamespace, other, std::move(pins));
    r.ns_inode = other.ns_inode;
    add_namespace_owner(snapshot, r);
    report.reasons.push_back(std::move(r));
  }
  add_suspects(snapshot, true, false, report);
  return report;
}

MountReport explain_survival(const Snapshot& snapshot, MountKey gone, DeviceNumber dev,
                             std::uint64_t own_ns_inode) {
  MountReport report;
  report.dev = dev;
  if (const Mount* m = snapshot.mount(gone)) {
    report.mount = m->key;
    report.target = m->target;
    std::vector<std::size_t> pins = pins_on(snapshot, gone);
    if (!pins.empty()) report.reasons.push_back(mount_reason(MountReasonKind::Pinned, *m, std::move(pins)));
  }
  for (const auto& [key, other] : snapshot.mounts) {
    if (key == gone || other.dev != dev || other.unverified) continue;
    std::vector<std::size_t> pins = pins_on(snapshot, key);
    if (!other.attached) {
      // A detached mount nothing pins is on its way out (the scan found it through a pin that just went).
      if (!pins.empty()) report.reasons.push_back(mount_reason(MountReasonKind::Detached, other, pins));
      continue;
    }
    bool here = own_ns_inode != 0 && other.ns_inode == own_ns_inode;
    MountReason r =
        mount_reason(here ? MountReasonKind::OtherMountHere : MountReasonKind::OtherNamespace, other, pins);
    if (!here) {
      r.ns_inode = other.ns_inode;
      add_namespace_owner(snapshot, r);
    }
    report.reasons.push_back(std::move(r));
  }
  add_kernel_reasons(snapshot, {dev}, report.reasons);
  add_suspects(snapshot, false, snapshot.live_filesystem(dev) != nullptr, report);
  return report;
}

}  // namespace detach

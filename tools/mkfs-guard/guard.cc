// SPDX-License-Identifier: GPL-2.0-or-later
#include "guard.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "base/i18n.h"
#include "explain/pinner.h"
#include "explain/printable.h"
#include "model/pinner.h"
#include "scan/fs_end_wait.h"
#include "scan/scan.h"

namespace detach::guard {
namespace {

ScanOptions scan_options(const std::vector<Target>& targets) {
  ScanOptions options;
  // Pin details cost a readlink per pin: only the mounts of these devices (with their partitions and
  // holders) need them, so nothing else gets them.
  options.detail_pins_of = [](const Mount&) { return false; };
  for (const Target& t : targets) options.detail_devices.push_back(t.node.dev);
  // Who owns a copy of a mount in another namespace (a container, a service) is part of the answer.
  options.describe_namespace_tasks = true;
  // Per-mount options of detached mounts are no reason a device is busy: no call into their filesystems
  // (a dead FUSE daemon would cost the bound) unless nothing else tells what they are.
  options.detached_options = false;
  return options;
}

ExplainOptions explain_options(const ScanOptions& scan, const CheckSettings& settings) {
  ExplainOptions options;
  options.own_pid = ::getpid();
  options.own_ns_inode = caller_mount_namespace(scan.proc_root);
  options.writers_block = settings.writers_block;
  return options;
}

// The pins of the lazily detached mounts among REASONS, partitions' and claiming filesystems' included.
void detached_pins(const std::vector<Reason>& reasons, std::vector<std::size_t>& out) {
  for (const Reason& r : reasons) {
    if (r.kind == ReasonKind::DetachedPinned) out.insert(out.end(), r.pins.begin(), r.pins.end());
    if (r.kind == ReasonKind::PartitionBusy || r.kind == ReasonKind::FilesystemDevice)
      detached_pins(r.nested, out);
  }
}

}  // namespace

bool Check::all_free() const {
  return std::all_of(reports.begin(), reports.end(),
                     [](const DeviceReport& r) { return r.status == DeviceStatus::Free; });
}

Result<Target> resolve_target(const std::string& name, const std::string& role) {
  Result<DeviceNode> node = find_device_node(name);
  if (!node) return tl::unexpected<Error>(node.error());
  return Target{std::move(*node), role};
}

std::string target_error_message(const std::string& given, const Error& error) {
  // Echoed through printable(): a newline or escape sequence in an argument makes no second line.
  const std::string name = printable(given);
  if (error.err == ETIMEDOUT) return trf("cannot look up {0}: its filesystem does not answer", name);
  if (error.err == EINVAL) return trf("{0}: not a device path or tag", name);
  if (error.err != 0) return trf("cannot open {0}: {1}", name, std::strerror(error.err));
  return trf("cannot check {0}: {1}", name, error.message());
}

Result<Check> check_targets(const std::vector<Target>& targets, const CheckSettings& settings) {
  // Claims first: while they are held (when asked to) nothing can mount the devices during the scan.
  std::vector<Claim> claims;
  std::vector<std::string> claim_errors;
  std::vector<UniqueFd> held;
  for (const Target& t : targets) {
    Result<UniqueFd> fd = claim_device(t.node);
    claims.push_back(fd ? Claim::Free : fd.error().err == EBUSY ? Claim::Claimed : Claim::Unchecked);
    claim_errors.push_back(fd || fd.error().err == EBUSY ? std::string() : std::strerror(fd.error().err));
    if (fd && settings.hold_claims) held.push_back(std::move(*fd));
  }

  ScanOptions scan = scan_options(targets);
  Result<Snapshot> snapshot = take_snapshot(scan);
  if (!snapshot) return tl::unexpected<Error>(snapshot.error());
  Check check{std::move(*snapshot), {}, std::move(held)};
  ExplainOptions explain = explain_options(scan, settings);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    DeviceReport report =
        explain_device(check.snapshot, targets[i].node.name, targets[i].node.dev, claims[i], explain);
    report.claim_error = claim_errors[i];
    check.reports.push_back(std::move(report));
  }
  if (!check.all_free()) check.claims.clear();  // nothing will start: let go at once
  return check;
}

Result<WaitEnd> wait_for_detached(const Check& check, const std::vector<Target>& targets,
                                  std::chrono::steady_clock::time_point deadline) {
  for (std::size_t i = 0; i < check.reports.size(); ++i) {
    const DeviceReport& report = check.reports[i];
    if (!report.busy()) continue;
    if (!held_only_by_detached_mounts(report.reasons)) return WaitEnd::Pointless;
    std::vector<std::size_t> pins;
    detached_pins(report.reasons, pins);
    std::vector<std::string> paths = pin_watch_paths(check.snapshot, pins);
    if (paths.empty()) return WaitEnd::Pointless;  // kept alive by a loop device or a swap file only
    Result<FsEnd> end = wait_fs_end(paths, targets[i].node.node, deadline);
    if (!end) return tl::unexpected<Error>(end.error());
    if (*end == FsEnd::Alive) return WaitEnd::TimedOut;
    // Ended, or the watches went with the pinners: either way a new snapshot tells what is left.
    return WaitEnd::Freed;
  }
  return WaitEnd::Freed;
}

KillPlan plan_kill(const Check& check) {
  std::vector<std::size_t> indexes;
  for (const DeviceReport& report : check.reports)
    if (report.busy()) detached_pins(report.reasons, indexes);
  std::sort(indexes.begin(), indexes.end());
  indexes.erase(std::unique(indexes.begin(), indexes.end()), indexes.end());

  const pid_t self = ::getpid(), parent = ::getppid();
  KillPlan plan;
  std::set<pid_t> planned;
  for (const Pinner& pinner : group_pinners(check.snapshot.pins_at(indexes))) {
    if (pinner.kind == PinnerKind::Kernel) continue;  // a loop device or swap file: nothing to end
    std::string line = describe_pinner(check.snapshot, pinner, Words::person());
    if (pinner.pid == self || pinner.pid == parent || pinner.pid == 1) {
      // TRANSLATORS: {0} names a process and how it pins the filesystem: "12 (bash) cwd".
      plan.refused.push_back(pinner.pid == self     ? trf("{0}: mkfs-guard itself", line)
                             : pinner.pid == parent ? trf("{0}: the parent of mkfs-guard", line)
                                                    : trf("{0}: init", line));
      continue;
    }
    if (!planned.insert(pinner.pid).second) {
      plan.lines.back() += "; " + line;  // a thread of a process already listed
      continue;
    }
    const Task* task = check.snapshot.task(pinner.pid);
    Task t = task ? *task : Task{};
    t.pid = pinner.pid;
    plan.tasks.push_back(std::move(t));
    plan.lines.push_back(std::move(line));
  }
  return plan;
}

}  // namespace detach::guard

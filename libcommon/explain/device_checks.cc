// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard -v: what a check looked at, so that "free" can be trusted and "unknown" followed up.
#include "explain/device.h"
#include "model/device_name.h"

namespace detach {
namespace {

std::string claim_check(const DeviceReport& report, const Words& words) {
  switch (report.claim) {
    case Claim::Free:
      // TRANSLATORS: {0} is the device.
      return words.trf("exclusive open of {0} (as mkfs does it): succeeded, nothing claims it",
                       report.device);
    case Claim::Claimed:
      return words.trf("exclusive open of {0} (as mkfs does it): busy, something claims it", report.device);
    case Claim::Unchecked:
      break;
  }
  // TRANSLATORS: {0} is the device, {1} an error message.
  return words.trf("exclusive open of {0} (as mkfs does it): failed ({1}), the claim is unknown",
                   report.device, report.claim_error);
}

// The counts of these lines are of many things at once (every mount, every process): a tally, said in the
// plural.
std::string namespaces_check(const Snapshot& snapshot, const Words& words) {
  std::size_t tasks = 0, attached = 0;
  for (const Namespace& ns : snapshot.namespaces) {
    tasks += ns.tasks.size();
    attached += ns.mounts.size();
  }
  // TRANSLATORS: a tally: {0} namespaces, {1} mounts, {2} processes.
  std::string out = words.trf("mount namespaces: {0} ({1} mounts, {2} processes)", snapshot.namespaces.size(),
                              attached, tasks);
  if (snapshot.gaps.in_child_pid_namespace)
    out = words.trf(
        "{0}, not all of them: only the namespaces of this PID namespace's processes can be listed", out);
  else if (!snapshot.gaps.namespaces_complete)
    out = words.trf("{0}, not all of them: this user cannot list every namespace", out);
  return out;
}

std::string pins_check(const Snapshot& snapshot, const Words& words) {
  // TRANSLATORS: a tally: {0} pins, {1} detached mounts.
  std::string out =
      words.trf("pins: {0} (cwd, root, exe, fds, mmaps; loop and swap backing files); detached mounts: {1}",
                snapshot.pins.size(), snapshot.detached_mounts().size());
  if (snapshot.gaps.denied) out = words.trf("{0}; {1} /proc entries refused", out, snapshot.gaps.denied);
  if (snapshot.gaps.vanished)
    out = words.trf("{0}; {1} processes exited during the scan", out, snapshot.gaps.vanished);
  return out;
}

std::string stacking_check(const Snapshot& snapshot, const DeviceReport& report, const Words& words) {
  const BlockDevice* bd = snapshot.block_device(report.dev);
  // TRANSLATORS: {0} is a device number ("7:3").
  if (bd == nullptr) return words.trf("sysfs: no entry for {0}", report.dev.str());
  auto names = [&](const std::vector<std::string>& list) {
    std::string out;
    for (const std::string& name : list) out += (out.empty() ? "" : ", ") + device_node_name(name);
    // TRANSLATORS: no partitions, no holders.
    return out.empty() ? std::string(words.tr("none")) : out;
  };
  // TRANSLATORS: {0} is a device's sysfs name, {1} its partitions, {2} its holders.
  std::string out = words.trf("sysfs {0}: partitions {1}; holders {2}", bd->name, names(bd->partitions),
                              names(bd->holders));
  if (bd->size_sectors) out = words.trf("{0}; size {1} sectors", out, *bd->size_sectors);
  return out;
}

// The devices filesystems claim besides their source, and what the kernel said of this one.
std::string claims_check(const Snapshot& snapshot, const DeviceReport& report, const Words& words) {
  std::string out = words.trf(
      "devices filesystems claim besides their source (xfs logdev= and rtdev=, ext4 journal threads, btrfs "
      "devices in sysfs): {0}",
      snapshot.claimed_devices.size());
  std::vector<const ClaimedDevice*> mine = snapshot.claims_on(report.dev);
  // TRANSLATORS: {0} is the check above, {1} the device.
  if (mine.empty()) return words.trf("{0}; none of them is {1}", out, report.device);
  for (const ClaimedDevice* c : mine) out += "; " + report.device + ": " + c->stated_by;
  return out;
}

}  // namespace

std::vector<std::string> checks_made(const Snapshot& snapshot, const DeviceReport& report,
                                     const Words& words) {
  return {claim_check(report, words), namespaces_check(snapshot, words), pins_check(snapshot, words),
          // TRANSLATORS: a tally: {0} swap areas, {1} loop devices with a backing file.
          words.trf("swap areas: {0}; bound loop devices: {1}", snapshot.swaps.size(), snapshot.loops.size()),
          stacking_check(snapshot, report, words), claims_check(snapshot, report, words)};
}

}  // namespace detach

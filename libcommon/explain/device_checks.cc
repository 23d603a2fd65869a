// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard -v: what a check looked at, so that "free" can be trusted and "unknown" followed up.
#include "explain/device.h"
#include "model/device_name.h"

namespace detach {
namespace {

std::string claim_check(const DeviceReport& report) {
  std::string out = "exclusive open of " + report.device + " (as mkfs does it): ";
  switch (report.claim) {
    case Claim::Free:
      return out + "succeeded, nothing claims it";
    case Claim::Claimed:
      return out + "busy, something claims it";
    case Claim::Unchecked:
      break;
  }
  return out + "failed (" + report.claim_error + "), the claim is unknown";
}

std::string namespaces_check(const Snapshot& snapshot) {
  std::size_t tasks = 0, attached = 0;
  for (const Namespace& ns : snapshot.namespaces) {
    tasks += ns.tasks.size();
    attached += ns.mounts.size();
  }
  std::string out = "mount namespaces: " + std::to_string(snapshot.namespaces.size()) + " (" +
                    std::to_string(attached) + " mounts, " + std::to_string(tasks) + " processes)";
  if (snapshot.gaps.in_child_pid_namespace)
    out += ", not all of them: only the namespaces of this PID namespace's processes can be listed";
  else if (!snapshot.gaps.namespaces_complete)
    out += ", not all of them: this user cannot list every namespace";
  return out;
}

std::string pins_check(const Snapshot& snapshot) {
  std::string out =
      "pins: " + std::to_string(snapshot.pins.size()) + " (cwd, root, exe, fds, mmaps; loop and " +
      "swap backing files); detached mounts: " + std::to_string(snapshot.detached_mounts().size());
  if (snapshot.gaps.denied) out += "; " + std::to_string(snapshot.gaps.denied) + " /proc entries refused";
  if (snapshot.gaps.vanished)
    out += "; " + std::to_string(snapshot.gaps.vanished) + " processes exited during the scan";
  return out;
}

std::string stacking_check(const Snapshot& snapshot, const DeviceReport& report) {
  const BlockDevice* bd = snapshot.block_device(report.dev);
  if (bd == nullptr) return "sysfs: no entry for " + report.dev.str();
  auto names = [](const std::vector<std::string>& list) {
    std::string out;
    for (const std::string& name : list) out += (out.empty() ? "" : ", ") + device_node_name(name);
    return out.empty() ? std::string("none") : out;
  };

  std::string out =
      "sysfs " + bd->name + ": partitions " + names(bd->partitions) + "; holders " + names(bd->holders);
  if (bd->size_sectors) out += "; size " + std::to_string(*bd->size_sectors) + " sectors";
  return out;
}

// The devices filesystems claim besides their source, and what the kernel said of this one.
std::string claims_check(const Snapshot& snapshot, const DeviceReport& report) {
  std::string out =
      "devices filesystems claim besides their source (xfs logdev= and rtdev=, ext4 journal "
      "threads, btrfs devices in sysfs): " +
      std::to_string(snapshot.claimed_devices.size());
  std::vector<const ClaimedDevice*> mine = snapshot.claims_on(report.dev);
  if (mine.empty()) return out + "; none of them is " + report.device;
  for (const ClaimedDevice* c : mine) out += "; " + report.device + ": " + c->stated_by;
  return out;
}

}  // namespace

std::vector<std::string> checks_made(const Snapshot& snapshot, const DeviceReport& report) {
  return {claim_check(report),
          namespaces_check(snapshot),
          pins_check(snapshot),
          "swap areas: " + std::to_string(snapshot.swaps.size()) +
              "; bound loop devices: " + std::to_string(snapshot.loops.size()),
          stacking_check(snapshot, report),
          claims_check(snapshot, report)};
}

}  // namespace detach

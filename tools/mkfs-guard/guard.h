// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard's steps, each a call into libcommon: resolve the devices, check them (one snapshot for all), and
// free them by waiting for (or ending) the pinners of their lazily detached filesystems.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "explain/device.h"
#include "model/snapshot.h"
#include "scan/devices.h"

namespace detach::guard {

// A device to check, as the user or the mkfs command named it.
struct Target {
  DeviceNode node;
  // "" (checking), "target", "journal device", "log device", "realtime device", "device": in English (shown
  // through tr(), po/ has them).
  std::string role;
};

// NAME resolved (a path outside /dev is looked up bounded in time): ENOENT, ENOTBLK, ETIMEDOUT ...
Result<Target> resolve_target(const std::string& name, const std::string& role = {});

// "cannot open /dev/nope: No such file or directory", for the one-line message of a bad device.
std::string target_error_message(const std::string& name, const Error& error);

struct CheckSettings {
  bool hold_claims = false;   // keep the O_EXCL claims of the free devices (until mkfs starts)
  bool writers_block = true;  // false: --force
};

struct Check {
  Snapshot snapshot;                  // the reasons refer to its pins
  std::vector<DeviceReport> reports;  // one per target, in order
  std::vector<UniqueFd> claims;       // with hold_claims: an O_EXCL fd for each device found free
  bool all_free() const;
};

// Claims each device (O_EXCL, as mkfs does), then takes one snapshot for all of them, with pin details for
// the mounts on the devices, their partitions and holders, and explains each.
Result<Check> check_targets(const std::vector<Target>& targets, const CheckSettings& settings);

enum class WaitEnd {
  Freed,      // what was waited for has ended: check again
  TimedOut,   // the deadline came first
  Pointless,  // a busy device is held by more than detached mounts (or by kernel pins only): it will not end
              // by itself
};

// Waits (inotify IN_UNMOUNT, then O_EXCL) until the detached filesystems that keep the busy devices of CHECK
// busy have ended, up to DEADLINE.
Result<WaitEnd> wait_for_detached(const Check& check, const std::vector<Target>& targets,
                                  std::chrono::steady_clock::time_point deadline);

// The processes --kill would end: pinners of the detached mounts on the busy devices. REFUSED names those it
// must never end (mkfs-guard itself, its parent, init), which leaves the devices busy whatever else ends.
struct KillPlan {
  std::vector<Task> tasks;
  std::vector<std::string> lines;    // "1234 (sleep) cwd", one per task, for the question asked
  std::vector<std::string> refused;  // "1200 (bash): the parent of mkfs-guard"
};
KillPlan plan_kill(const Check& check);

}  // namespace detach::guard

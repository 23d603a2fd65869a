// SPDX-License-Identifier: GPL-2.0-or-later
// The explain tests' fixture: a hand-built snapshot with the root fs attached, and the question "why is
// DEVICE busy?" asked on it.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "explain/device.h"
#include "explain/device_text.h"
#include "hand_built_snapshot.h"

namespace detach {

using json = nlohmann::ordered_json;

constexpr std::uint64_t kOwnNs = 4026531841;
constexpr std::uint64_t kOtherNs = 4026532290;
constexpr DeviceNumber kLoop3{7, 3};

// A snapshot with the root fs attached; each test adds the mounts, pins and devices of its scenario.
class Explain : public HandBuiltSnapshot {
 protected:
  Explain() {
    AddMount(1, {8, 1}, "/", "ext4", "/dev/sda1", true, kOwnNs);
    AddTask(1234, "sleep");
    AddTask(1240, "bash");
    options_.own_ns_inode = kOwnNs;
  }

  Mount& AddMount(MountKey key, DeviceNumber dev, std::string target, std::string fstype, std::string source,
                  bool attached, std::uint64_t ns = kOwnNs) {
    Mount& m = snapshot_.mounts[key];
    m.key = m.unique_id = key;
    m.dev = dev;
    m.target = std::move(target);
    m.fstype = std::move(fstype);
    m.source = std::move(source);
    m.attached = attached;
    m.ns_inode = attached ? ns : 0;
    return m;
  }
  // The seed scenario: ext2 on /dev/loop3, lazily unmounted, pinned by a cwd and a written fd.
  void AddSeed() {
    AddMount(100, kLoop3, "", "ext2", "/dev/loop3", false);
    AddPin(PinKind::Cwd, 100, 1234);
    AddPin(PinKind::Fd, 100, 1240, 7, Access::Write);
  }
  DeviceReport Ask(const std::string& device, DeviceNumber dev, bool claimed = true) {
    snapshot_.build_superblocks();
    return explain_device(snapshot_, device, dev, claimed ? Claim::Claimed : Claim::Free, options_);
  }
  std::string Text(const DeviceReport& report) { return render_text(snapshot_, report); }

  ExplainOptions options_;
};

}  // namespace detach

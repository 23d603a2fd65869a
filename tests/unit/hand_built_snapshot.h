// SPDX-License-Identifier: GPL-2.0-or-later
// A snapshot built by hand, for tests of the model and explain layers on exact scenarios: the tasks, pins and
// namespaces a test adds, nothing read from this machine. Each test's fixture adds its own mounts (what a
// mount needs differs from one layer's tests to another's).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace detach {

class HandBuiltSnapshot : public ::testing::Test {
 protected:
  void AddTask(pid_t pid, std::string command, std::string unit = "session-1.scope") {
    Task& t = snapshot_.tasks[pid];
    t.pid = pid;
    t.command = std::move(command);
    t.user = "root";
    t.unit = std::move(unit);
  }
  Pin& AddPin(PinKind kind, MountKey mount, pid_t pid, int fd = -1, Access access = Access::Unknown) {
    Pin& pin = snapshot_.pins.emplace_back();
    pin.kind = kind;
    pin.mount = mount;
    pin.pid = pid;
    pin.fd = fd;
    pin.access = access;
    return pin;
  }
  // A pin the kernel holds (a loop device's or swap file's backing file) on the filesystem of DEV.
  Pin& AddKernelPin(PinKind kind, DeviceNumber dev, std::string holder, std::string path) {
    Pin& pin = snapshot_.pins.emplace_back();
    pin.kind = kind;
    pin.dev = dev;
    pin.holder = std::move(holder);
    pin.path = std::move(path);
    return pin;
  }
  // The namespace mnt:[INODE] with TASKS in it, or, with none, KEPT alive by what those name.
  void AddNamespace(std::uint64_t inode, std::vector<pid_t> tasks, std::vector<std::string> kept = {}) {
    Namespace& ns = snapshot_.namespaces.emplace_back();
    ns.inode = inode;
    ns.id = inode - 4026531000;
    ns.tasks = std::move(tasks);
    ns.kept_alive_by = std::move(kept);
  }

  Snapshot snapshot_;
};

}  // namespace detach

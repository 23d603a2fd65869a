// SPDX-License-Identifier: GPL-2.0-or-later
// The whole scan on fixture trees: the file-only path that old kernels and fixtures share.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "explain/pinner.h"
#include "fixture_tree.h"
#include "scan/scan.h"

namespace detach {
namespace {

constexpr const char* kHostMountinfo =
    "21 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
    "22 21 0:5 / /proc rw - proc proc rw\n"
    "30 21 7:1 / /srv/data\\040dir rw - xfs /dev/loop1 rw\n";

// A process in the host namespace: comm, uid, cgroup and its ns link.
void add_task(const testing::FixtureTree& tree, int pid, const std::string& comm, const std::string& ns) {
  std::string dir = "proc/" + std::to_string(pid) + "/";
  tree.link(dir + "ns/mnt", ns);
  tree.write(dir + "mountinfo", kHostMountinfo);
  tree.write(dir + "comm", comm + "\n");
  tree.write(dir + "status", "Name:\t" + comm + "\nUid:\t0\t0\t0\t0\n");
  tree.write(dir + "cgroup", "0::/user.slice/user-0.slice/session-1.scope\n");
  tree.link(dir + "cwd", "/");
  tree.link(dir + "root", "/");
  tree.link(dir + "exe", "/usr/bin/" + comm);
}

void add_fd(const testing::FixtureTree& tree, int pid, int fd, const std::string& target, int mnt_id,
            int flags) {
  std::string dir = "proc/" + std::to_string(pid) + "/";
  tree.link(dir + "fd/" + std::to_string(fd), target);
  char octal[16];
  std::snprintf(octal, sizeof octal, "0%o", flags);
  tree.write(dir + "fdinfo/" + std::to_string(fd), "pos:\t0\nflags:\t" + std::string(octal) + "\nmnt_id:\t" +
                                                       std::to_string(mnt_id) + "\nino:\t12\n");
}

ScanOptions fixture_options(const testing::FixtureTree& tree) {
  ScanOptions options;
  options.proc_root = tree.proc();
  options.sys_root = tree.sys();
  options.dev_root = tree.dev();
  options.live = false;
  return options;
}

TEST(FixtureSnapshot, FdOnAMountNoNamespaceListsIsDetached) {
  // Given a process whose fd 7 is on mount 62, and no mountinfo listing 62, we should report mount 62 as
  // detached, on 7:0 (from sysfs: /dev/loop0), pinned by that fd with its access mode.
  testing::FixtureTree tree;
  add_task(tree, 100, "bash", "mnt:[4026531841]");
  add_fd(tree, 100, 7, "/file with space\n", 62, 01);  // O_WRONLY; readlink relative to the detached root
  add_fd(tree, 100, 1, "/srv/data dir/log", 30, 02);
  tree.link("sys/dev/block/7:0", "../../devices/virtual/block/loop0");
  auto snapshot = take_snapshot(fixture_options(tree));
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message();
  EXPECT_EQ(snapshot->id_kind, IdKind::Old);
  ASSERT_EQ(snapshot->namespaces.size(), 1u);
  EXPECT_EQ(snapshot->namespaces[0].inode, 4026531841u);
  auto detached = snapshot->detached_mounts();
  ASSERT_EQ(detached.size(), 1u);
  EXPECT_EQ(detached[0]->key, 62u);
  EXPECT_EQ(detached[0]->old_id, 62u);
  EXPECT_FALSE(detached[0]->attached);
  auto pins = snapshot->pins_of(62);
  ASSERT_EQ(pins.size(), 1u);
  EXPECT_EQ(pins[0]->fd, 7);
  EXPECT_EQ(pins[0]->path, "/file with space\n");
  EXPECT_EQ(describe_pins(*snapshot, pins, detach::Words::program()), "100 (bash) fd 7 (write)");
}

TEST(FixtureSnapshot, PinsOnListedMountsAreNotDetached) {
  testing::FixtureTree tree;
  add_task(tree, 100, "sleep", "mnt:[4026531841]");
  add_fd(tree, 100, 3, "/srv/data dir/x", 30, 0);
  auto snapshot = take_snapshot(fixture_options(tree));
  ASSERT_TRUE(snapshot.has_value());
  EXPECT_TRUE(snapshot->detached_mounts().empty());
  EXPECT_EQ(snapshot->pins_of(30).size(), 1u);
}

TEST(FixtureSnapshot, CwdResolvesToTheDeepestMountPoint) {
  // Given no statx in fixtures, cwd is matched by path: "/srv/data dir/sub" lies on mount 30, not on "/".
  testing::FixtureTree tree;
  add_task(tree, 100, "sh", "mnt:[4026531841]");
  std::filesystem::remove(tree.root() + "/proc/100/cwd");
  tree.link("proc/100/cwd", "/srv/data dir/sub");
  auto snapshot = take_snapshot(fixture_options(tree));
  ASSERT_TRUE(snapshot.has_value());
  bool found = false;
  for (const Pin& pin : snapshot->pins)
    if (pin.kind == PinKind::Cwd && pin.pid == 100) {
      EXPECT_EQ(pin.mount, 30u);
      found = true;
    }
  EXPECT_TRUE(found);
}

TEST(FixtureSnapshot, TasksInTwoNamespacesGiveTwoNamespaces) {
  testing::FixtureTree tree;
  add_task(tree, 100, "a", "mnt:[4026531841]");
  add_task(tree, 200, "b", "mnt:[4026532000]");
  add_task(tree, 201, "c", "mnt:[4026532000]");
  auto snapshot = take_snapshot(fixture_options(tree));
  ASSERT_TRUE(snapshot.has_value());
  ASSERT_EQ(snapshot->namespaces.size(), 2u);
  for (const Namespace& ns : snapshot->namespaces) {
    EXPECT_EQ(ns.mounts.size(), 3u);
    EXPECT_EQ(ns.tasks.size(), ns.inode == 4026532000u ? 2u : 1u);
  }
}

TEST(FixtureSnapshot, TaskDescriptionComesFromCommStatusAndCgroup) {
  testing::FixtureTree tree;
  add_task(tree, 100, "vim", "mnt:[4026531841]");
  add_fd(tree, 100, 4, "/.file.swp", 62, 02);
  auto snapshot = take_snapshot(fixture_options(tree));
  ASSERT_TRUE(snapshot.has_value());
  const Task* task = snapshot->task(100);
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->command, "vim");
  EXPECT_EQ(task->uid, 0u);
  EXPECT_EQ(task->user, "root");
  EXPECT_EQ(task->unit, "session-1.scope");
}

TEST(FixtureSnapshot, EmptyProcIsAnError) {
  testing::FixtureTree tree;
  tree.write("proc/.keep", "");
  auto snapshot = take_snapshot(fixture_options(tree));
  EXPECT_FALSE(snapshot.has_value());
}

}  // namespace
}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// The scan on a fixture /proc and the holders sysfs fixture (the sysfs root is a ScanOptions parameter): the
// pinners of a mount on a device stacked on a disk's partition get their details when the disk is asked
// about, so that mkfs-guard names them with their command.
#include <gtest/gtest.h>

#include "explain/device.h"
#include "explain/device_text.h"
#include "fixture_tree.h"
#include "scan/scan.h"

namespace detach {
namespace {

// LVM (dm-2, 254:2) on LUKS (dm-1) on sdc1 is mounted at /home; bash (pid 100) writes a file there on fd 3.
void add_home_writer(const testing::FixtureTree& tree) {
  tree.link("proc/100/ns/mnt", "mnt:[4026531841]");
  tree.write("proc/100/mountinfo",
             "21 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
             "40 21 254:2 / /home rw - ext4 /dev/mapper/vg-home rw\n");
  tree.write("proc/100/comm", "bash\n");
  tree.write("proc/100/status", "Name:\tbash\nUid:\t1000\t1000\t1000\t1000\n");
  tree.write("proc/100/cgroup", "0::/user.slice/user-1000.slice/session-2.scope\n");
  tree.write("proc/100/stat", "100 (bash) S 1 100 100 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0\n");
  tree.link("proc/100/cwd", "/");
  tree.link("proc/100/root", "/");
  tree.link("proc/100/fd/3", "/home/notes.txt");
  tree.write("proc/100/fdinfo/3", "pos:\t0\nflags:\t01\nmnt_id:\t40\nino:\t12\n");
}

ScanOptions fixture_options(const testing::FixtureTree& tree) {
  ScanOptions options;
  options.proc_root = tree.proc();
  options.sys_root = std::string(FIXTURES_DIR) + "/sysfs/holders";
  options.dev_root = tree.dev();
  options.live = false;
  options.journal_dir.clear();
  options.detail_pins_of = [](const Mount&) { return false; };
  return options;
}

std::string explain_sdc(const Snapshot& snapshot) {
  return render_text(snapshot, explain_device(snapshot, "/dev/sdc", {8, 32}, Claim::Claimed));
}

// Given the disk asked about, we should see through partition, LUKS and LVM to the mount, and name the writer
// with its command and start time read.
TEST(StackedScan, PinnersOfAHolderOfAPartitionAreDetailed) {
  testing::FixtureTree tree;
  add_home_writer(tree);
  ScanOptions options = fixture_options(tree);
  options.detail_devices = {{8, 32}};
  Result<Snapshot> snapshot = take_snapshot(options);
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message();
  EXPECT_EQ(
      explain_sdc(*snapshot),
      "/dev/sdc is busy: its partition /dev/sdc1 is busy: it is held by dm-1 (LUKS crypt-home), which is "
      "busy: it is held by dm-2 (LVM vg-home), which is busy: it is mounted at /home\n"
      "      pinned by: 100 (bash) fd 3 (write)\n");  // indented once per nesting level
  ASSERT_NE(snapshot->task(100), nullptr);
  EXPECT_EQ(snapshot->task(100)->uid, 1000u);
  EXPECT_EQ(snapshot->task(100)->start_time, 4242u);
}

// Given no device asked about (and no details wanted), we should see the pin but not who it is: the details
// came from detail_devices alone.
TEST(StackedScan, WithoutDetailDevicesThePinnerIsNotDescribed) {
  testing::FixtureTree tree;
  add_home_writer(tree);
  Result<Snapshot> snapshot = take_snapshot(fixture_options(tree));
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message();
  EXPECT_EQ(snapshot->task(100), nullptr);
}

}  // namespace
}  // namespace detach

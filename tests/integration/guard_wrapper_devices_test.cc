// SPDX-License-Identifier: GPL-2.0-or-later
// Wrapping a mkfs, every device it takes is checked: several btrfs devices, xfs log and realtime devices, an
// ext4 external journal; an option value that only looks like a device (a label) is not. Each case of issue
// 11's "Found while trying it" that started mkfs with the busy device unchecked.
#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class GuardWrapperDevices : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    busy_.emplace("ext2");
    free_.emplace(320);
  }
  // What blkid says is on the free device: "" while nothing is, so a mkfs that ran would show.
  std::string FreeFsType() const {
    return RunCommand({"blkid", "-o", "value", "-s", "TYPE", free_->path()}).out;
  }
  void ExpectBlocked(const std::vector<std::string>& mkfs, const std::string& role) {
    std::vector<std::string> argv{MkfsGuard(), "--"};
    argv.insert(argv.end(), mkfs.begin(), mkfs.end());
    const RunResult run = RunCommand(argv);
    EXPECT_EQ(run.exit_code, 124) << run.Describe();
    EXPECT_THAT(run.out,
                HasSubstr(busy_->device() + role + " is busy: it is mounted at " + busy_->mountpoint()))
        << run.Describe();
    EXPECT_EQ(FreeFsType(), "") << "mkfs ran: " << run.Describe();
  }

  std::optional<LoopFs> busy_;
  std::optional<BlankLoop> free_;
};

TEST_F(GuardWrapperDevices, BtrfsWithABusyDeviceAmongSeveral) {
  ExpectBlocked({"mkfs.btrfs", "-q", "-f", busy_->device(), free_->path()}, "");
  ExpectBlocked({"mkfs.btrfs", "-q", "-f", free_->path(), busy_->device()}, "");
}

TEST_F(GuardWrapperDevices, XfsBusyLogOrRealtimeDevice) {
  ExpectBlocked({"mkfs.xfs", "-q", "-f", "-l", "logdev=" + busy_->device(), free_->path()}, " (log device)");
  ExpectBlocked({"mkfs.xfs", "-q", "-f", "-r", "rtdev=" + busy_->device(), free_->path()},
                " (realtime device)");
}

TEST_F(GuardWrapperDevices, Ext4BusyJournalDevice) {
  ExpectBlocked({"mkfs.ext4", "-q", "-J", "device=" + busy_->device(), free_->path()}, " (journal device)");
}

TEST_F(GuardWrapperDevices, BusyDeviceAsTargetWithAFreeDeviceAsLabel) {
  ExpectBlocked({"mkfs.ext4", "-q", "-F", "-F", busy_->device(), "-L", free_->path()}, "");
}

// Given the free device as the target and the busy one's path as a mere label, we should run mkfs.
TEST_F(GuardWrapperDevices, ALabelThatIsADevicePathDoesNotBlock) {
  const RunResult run = RunCommand({MkfsGuard(), "--", "mkfs.ext4", "-q", "-F", free_->path(), "-L", "x"});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  const RunResult label =
      RunCommand({MkfsGuard(), "--", "mkfs.btrfs", "-q", "-f", "--label", busy_->device(), free_->path()});
  EXPECT_EQ(label.exit_code, 0) << label.Describe();
  EXPECT_EQ(FreeFsType(), "btrfs\n");
}

}  // namespace
}  // namespace itest

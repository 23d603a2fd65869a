// SPDX-License-Identifier: GPL-2.0-or-later
// A mounted device blocks the wrapper: mkfs is not run (the filesystem is untouched) and the exit status is
// 124, which no mkfs uses, so a script can tell "busy, not run" from mkfs's own failure. --wait and --kill
// do not wait for, or end anything of, an attached mount.
#include "harness.h"

namespace itest {
namespace {

class GuardMountedWrapper : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    fs_.emplace("ext2");
    pinner_.emplace(SpawnSleepWithCwd(fs_->mountpoint()));
  }
  std::string FsType() const { return RunCommand({"blkid", "-o", "value", "-s", "TYPE", fs_->device()}).out; }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> pinner_;
};

TEST_F(GuardMountedWrapper, MkfsIsNotRunAndTheExitStatusSaysBusy) {
  const RunResult run = RunCommand({MkfsGuard(), "--", "mkfs.ext4", "-q", "-F", fs_->device()});
  EXPECT_EQ(run.exit_code, 124) << run.Describe();
  EXPECT_EQ(FirstLine(run.out), fs_->device() + " is busy: it is mounted at " + fs_->mountpoint())
      << run.Describe();
  EXPECT_EQ(FsType(), "ext2\n");
}

TEST_F(GuardMountedWrapper, KillAndWaitLeaveAnAttachedMountAlone) {
  const RunResult run =
      RunCommand({MkfsGuard(), "--wait=5", "--kill", "--yes", "--", "mkfs.ext4", "-q", "-F", fs_->device()});
  EXPECT_EQ(run.exit_code, 124) << run.Describe();
  EXPECT_EQ(run.err.find("sent SIG"), std::string::npos) << run.Describe();
  EXPECT_EQ(CommOf(pinner_->pid()), "sleep");  // still alive
  EXPECT_EQ(FsType(), "ext2\n");
}

}  // namespace
}  // namespace itest

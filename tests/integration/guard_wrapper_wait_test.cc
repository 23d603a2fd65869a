// SPDX-License-Identifier: GPL-2.0-or-later
// --wait: the wrapper waits (inotify IN_UNMOUNT, then O_EXCL) for a lazily unmounted filesystem to really
// end, and runs mkfs once it has; with a limit that passes first, it gives up with 124 and runs nothing.
#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class GuardWrapperWait : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    fs_.emplace("ext2");
    pinner_.emplace(SpawnSleepWithCwd(fs_->mountpoint()));
    fs_->mount().Detach();
  }
  std::string FsType() const { return RunCommand({"blkid", "-o", "value", "-s", "TYPE", fs_->device()}).out; }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> pinner_;
};

// Given mkfs-guard waiting (it says so), we should see mkfs run once the pinner ends, not before.
TEST_F(GuardWrapperWait, RunsMkfsOnceThePinnerEnds) {
  AsyncCommand guard({MkfsGuard(), "--wait", "--", "mkfs.ext4", "-q", "-F", fs_->device()});
  ASSERT_TRUE(guard.WaitForStderr("waiting until the lazily unmounted filesystems on " + fs_->device()))
      << guard.Finish(1s).Describe();
  EXPECT_EQ(FsType(), "ext2\n");  // not formatted while it waits
  pinner_.reset();
  const RunResult run = guard.Finish();
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_EQ(FsType(), "ext4\n");
}

TEST_F(GuardWrapperWait, GivesUpAtItsLimit) {
  const RunResult run = RunCommand({MkfsGuard(), "--wait=1", "--", "mkfs.ext4", "-q", "-F", fs_->device()});
  EXPECT_EQ(run.exit_code, 124) << run.Describe();
  EXPECT_THAT(run.out, HasSubstr("lazily unmounted")) << run.Describe();
  EXPECT_EQ(FsType(), "ext2\n");
}

// Given the check mode with --wait, we should exit 0 once the device is free.
TEST_F(GuardWrapperWait, CheckModeWaitsToo) {
  AsyncCommand guard({MkfsGuard(), "--wait=60", fs_->device()});
  ASSERT_TRUE(guard.WaitForStderr("waiting until")) << guard.Finish(1s).Describe();
  pinner_.reset();
  const RunResult run = guard.Finish();
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_EQ(FirstLine(run.out), fs_->device() + " is free: mkfs can use it") << run.Describe();
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// `umount -l --wait`: the lazy umount names its pinners once, then waits, without a sleep loop, for the
// filesystem's real end (inotify IN_UNMOUNT, then the device free under O_EXCL). It returns right after the
// last pinner exits, with the device free. (How fast is measured in bench/umount-wait, not here.)
#include <fcntl.h>

#include "umount_test_util.h"

namespace itest {
namespace {

class LazyUmountWaitsForThePinners : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT");
    EnterPrivateMountNamespace();
    fs_.emplace();
  }
  std::optional<LoopFs> fs_;
};

// Given two pinners, we should hear them named once, see umount wait while either lives, and see it return 0
// after the last one ends, the device free.
TEST_F(LazyUmountWaitsForThePinners, ReturnsAfterTheLastPinnerWithTheDeviceFree) {
  std::optional<ChildProcess> cwd(SpawnSleepWithCwd(fs_->mountpoint()));
  std::optional<ChildProcess> fd(SpawnSleepWithFd(fs_->File("f"), O_RDONLY | O_CREAT, 5));
  AsyncCommand umount({Umount(), "-l", "--wait", fs_->mountpoint()});
  ASSERT_TRUE(umount.WaitForStderr("waiting for its end (findmnt --detached shows it)\n", 30s))
      << umount.Finish(1s).Describe();
  cwd->Kill();
  EXPECT_EQ(kill(umount.pid(), 0), 0) << "returned while a pinner lives";
  EXPECT_FALSE(DeviceIsFree(fs_->device()));
  fd->Kill();
  RunResult r = umount.Finish();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(DeviceIsFree(fs_->device())) << "umount --wait returned before the device was free";
  std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 2u) << r.Describe();
  EXPECT_NE(lines[0].find("pinned by 2 processes: "), std::string::npos) << lines[0];
}

// Given no pinner, --wait returns at once, says nothing, and the device is free.
TEST_F(LazyUmountWaitsForThePinners, IdleReturnsAtOnce) {
  RunResult r = RunCommand({Umount(), "-l", "--wait", fs_->mountpoint()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(DeviceIsFree(fs_->device()));
}

// Given a plain umount --wait of an idle filesystem, the same.
TEST_F(LazyUmountWaitsForThePinners, PlainUmountWaitOfAnIdleFilesystem) {
  RunResult r = RunCommand({Umount(), "--wait=5", fs_->mountpoint()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(DeviceIsFree(fs_->device()));
}

}  // namespace
}  // namespace itest

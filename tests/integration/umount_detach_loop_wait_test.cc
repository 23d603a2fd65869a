// SPDX-License-Identifier: GPL-2.0-or-later
// `umount -d -l --wait` of a filesystem on a loop device: libmount frees the loop device (LOOP_CLR_FD) while
// the filesystem still holds it, which only marks it autoclear; --wait returns once the filesystem ended and
// the loop device is really detached.
#include "umount_test_util.h"

namespace itest {
namespace {

class DetachLoopAndWait : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT");
    EnterPrivateMountNamespace();
    image_ = dir_.path() + "/disk.img";
    MakeImage(image_, 16);
    // Not autoclear (the harness's loop devices are): -d is what must detach it.
    RunResult loop = RunCommand({"losetup", "-f", "--show", image_});
    ASSERT_EQ(loop.exit_code, 0) << loop.Describe();
    loop_ = FirstLine(loop.out);
    RunOrThrow({"mkfs.ext2", "-q", loop_});
    mount_.emplace(loop_, dir_.MakeDir("m"), "ext2");
  }
  void TearDown() override {
    mount_.reset();
    if (Bound()) RunCommand({"losetup", "-d", loop_});
  }
  // Bound to our image still: once let go, its number may be bound at once to another test's image (which
  // TearDown must then leave alone).
  bool Bound() const {
    if (loop_.empty()) return false;
    std::string backing = ReadFile("/sys/block/" + loop_.substr(5) + "/loop/backing_file");
    if (!backing.empty() && backing.back() == '\n') backing.pop_back();
    return backing == image_;
  }
  TempDir dir_;
  std::string image_, loop_;
  std::optional<Mount> mount_;
};

TEST_F(DetachLoopAndWait, LoopDeviceIsGoneWhenWaitReturns) {
  std::optional<ChildProcess> pinner(SpawnSleepWithCwd(mount_->target()));
  AsyncCommand umount({Umount(), "-d", "-l", "--wait", mount_->target()});
  ASSERT_TRUE(umount.WaitForStderr("waiting for its end", 30s)) << umount.Finish(1s).Describe();
  EXPECT_TRUE(Bound()) << "the loop device went while the filesystem lives";
  pinner->Kill();
  RunResult r = umount.Finish();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_FALSE(Bound()) << "umount -d --wait returned with the loop device still bound";
}

// Given no pinner, -d detaches the loop device at once, as util-linux's does.
TEST_F(DetachLoopAndWait, IdleLoopDeviceIsDetachedAtOnce) {
  RunResult r = RunCommand({Umount(), "-d", "--wait", mount_->target()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.err, "");
  EXPECT_FALSE(Bound());
}

}  // namespace
}  // namespace itest

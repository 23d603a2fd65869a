// SPDX-License-Identifier: GPL-2.0-or-later
// A plain umount returns 0 while a copy of the mount in another mount namespace keeps the filesystem (and its
// device) alive: a script that then runs losetup -d or mkfs races the kernel. We say where it lives on and
// who owns that namespace; `umount --wait` returns only once that copy is gone and the device is free.

#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class CopyInAnotherNamespaceKeepsItAlive : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT");
    EnterPrivateMountNamespace();
    fs_.emplace();
    holder_.emplace(SpawnInNewMountNamespace());
  }
  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> holder_;
};

// Given the copy, a plain umount exits 0 and says the filesystem lives on, where, and who is in that
// namespace; the device is indeed still claimed.
TEST_F(CopyInAnotherNamespaceKeepsItAlive, PlainUmountSaysWhereItLivesOn) {
  const std::string mnt = fs_->mountpoint();
  RunResult r = RunCommand({Umount(), mnt});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 3u) << r.Describe();
  EXPECT_EQ(lines[0], "umount: " + mnt + ": unmounted, but its filesystem lives on");
  EXPECT_EQ(lines[1], kIndent + "it is still mounted at " + mnt + " in mount namespace mnt:[" +
                          MountNamespaceInode(holder_->pid()) +
                          "] (process in it: " + std::to_string(holder_->pid()) + " (ns-holder))");
  EXPECT_THAT(lines[2], HasSubstr("umount --wait waits for such an end"));
  EXPECT_FALSE(Mounted(mnt));
  EXPECT_FALSE(DeviceIsFree(fs_->device()));
}

// Given the copy, umount --wait waits; once the namespace's last process ends, it returns 0 with the device
// free at that very moment.
TEST_F(CopyInAnotherNamespaceKeepsItAlive, WaitReturnsOnceTheCopyIsGone) {
  AsyncCommand umount({Umount(), "--wait", fs_->mountpoint()});
  ASSERT_TRUE(umount.WaitForStderr("waiting for its end\n", 30s)) << umount.Finish(1s).Describe();
  EXPECT_EQ(kill(umount.pid(), 0), 0) << "umount --wait returned while the copy lives";
  holder_->Kill();
  RunResult r = umount.Finish();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(DeviceIsFree(fs_->device()));
}

}  // namespace
}  // namespace itest

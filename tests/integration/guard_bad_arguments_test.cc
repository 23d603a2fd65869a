// SPDX-License-Identifier: GPL-2.0-or-later
// What mkfs-guard is given that is no device: a one-line error and exit 2 (125 wrapping a mkfs, so it is
// never read as mkfs's own failure), and nothing run. A symlink to a device outside /dev is followed once,
// bounded, and the device is then opened through /dev.
#include <unistd.h>

#include "harness.h"

namespace itest {
namespace {

class GuardBadArguments : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    MakeImage(dir_.path() + "/disk.img", 16);
  }
  TempDir dir_;
};

TEST_F(GuardBadArguments, RegularFileIsNoBlockDevice) {
  const std::string image = dir_.path() + "/disk.img";
  const RunResult guard = RunCommand({MkfsGuard(), image});
  EXPECT_EQ(guard.exit_code, 2) << guard.Describe();
  EXPECT_EQ(guard.err, "mkfs-guard: cannot open " + image + ": Block device required\n") << guard.Describe();
  const RunResult wrapped = RunCommand({MkfsGuard(), "--", "mkfs.ext4", "-q", "-F", image});
  EXPECT_EQ(wrapped.exit_code, 125) << wrapped.Describe();
  EXPECT_EQ(RunCommand({"blkid", image}).exit_code, 2) << "mkfs ran on " << image;
}

TEST_F(GuardBadArguments, CommandsWithoutADevice) {
  EXPECT_EQ(RunCommand({MkfsGuard(), "--", "mkfs.fat", "-C", dir_.path() + "/new.img", "1440"}).exit_code,
            125);
  const RunResult unknown = RunCommand({MkfsGuard(), "--", "mkfs.nothing", "-x", "data"});
  EXPECT_EQ(unknown.exit_code, 125) << unknown.Describe();
  EXPECT_EQ(unknown.err, "mkfs-guard: no block device in the command\n") << unknown.Describe();
}

TEST_F(GuardBadArguments, SymlinkToADeviceIsFollowed) {
  LoopDevice loop(dir_.path() + "/disk.img");
  const std::string link = dir_.path() + "/the-disk";
  ASSERT_EQ(symlink(loop.path().c_str(), link.c_str()), 0);
  const RunResult guard = RunCommand({MkfsGuard(), link});
  EXPECT_EQ(guard.exit_code, 0) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), link + " is free: mkfs can use it") << guard.Describe();
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard run by a user who may not open the device (EACCES): the claim cannot be checked, but the
// snapshot still knows the device is mounted, and says so; with nothing seen, it says it could not check.
#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class GuardUnprivileged : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    fs_.emplace("ext2", 64, /*mount_now=*/false);
  }
  RunResult AsNobody(const std::string& device) const {
    return RunCommand({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", MkfsGuard(), device});
  }
  std::optional<LoopFs> fs_;
};

TEST_F(GuardUnprivileged, MountedDeviceIsExplainedThoughItCannotBeOpened) {
  fs_->MountAt();
  const RunResult guard = AsNobody(fs_->device());
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), fs_->device() + " is busy: it is mounted at " + fs_->mountpoint())
      << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr("(the claim was not checked: open: Permission denied)"))
      << guard.Describe();
}

TEST_F(GuardUnprivileged, UnmountedDeviceCouldNotBeChecked) {
  const RunResult guard = AsNobody(fs_->device());
  EXPECT_EQ(guard.exit_code, 4) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), fs_->device() +
                                      " could not be checked: it could not be opened (Permission "
                                      "denied), and nothing this scan sees uses it")
      << guard.Describe();
}

}  // namespace
}  // namespace itest

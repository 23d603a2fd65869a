// SPDX-License-Identifier: GPL-2.0-or-later
// A free device: mkfs-guard says so (exit 0), -v says what it checked, and wrapping a mkfs runs it and passes
// its own exit status on (mkfs's failure stays mkfs's 1, never mkfs-guard's 124 or 125).
#include <unistd.h>

#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class GuardFreeDevice : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    loop_.emplace();
  }
  std::string FsType() const { return RunCommand({"blkid", "-o", "value", "-s", "TYPE", loop_->path()}).out; }

  std::optional<BlankLoop> loop_;
};

TEST_F(GuardFreeDevice, CheckSaysFreeAndExitsZero) {
  const RunResult guard = RunCommand({MkfsGuard(), loop_->path()});
  EXPECT_EQ(guard.exit_code, 0) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), loop_->path() + " is free: mkfs can use it") << guard.Describe();
  // This test holds the loop device open (read-only, to keep it): a note, not a reason.
  EXPECT_THAT(guard.out, HasSubstr("it is open for reading in: " + std::to_string(getpid()) + " ("))
      << guard.Describe();
  const RunResult json = RunCommand({MkfsGuard(), "-J", loop_->path()});
  const std::optional<nlohmann::json> doc = ParseJson(json.out);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(Text(*doc, "status"), "free");
  EXPECT_EQ((*doc)["claimed"], false);
}

TEST_F(GuardFreeDevice, VerboseListsTheChecks) {
  const RunResult guard = RunCommand({MkfsGuard(), "-v", loop_->path()});
  EXPECT_EQ(guard.exit_code, 0) << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr("checked: exclusive open of " + loop_->path() +
                                   " (as mkfs does it): succeeded, nothing claims it\n"))
      << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr("checked: mount namespaces: ")) << guard.Describe();
}

TEST_F(GuardFreeDevice, WrapperRunsTheMkfsAndPassesItsStatusOn) {
  const RunResult run = RunCommand({MkfsGuard(), "--", "mkfs.ext4", "-q", loop_->path()});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_EQ(run.out, "") << run.Describe();  // a free device is no news: mkfs speaks
  EXPECT_EQ(FsType(), "ext4\n");
  // mkfs.ext4 refuses a feature it does not know: its own exit status 1 comes through.
  const RunResult failed =
      RunCommand({MkfsGuard(), "--", "mkfs.ext4", "-q", "-F", "-O", "no_such_feature", loop_->path()});
  EXPECT_EQ(failed.exit_code, 1) << failed.Describe();
}

TEST_F(GuardFreeDevice, MkfsThatCannotBeRunIsOneTwentySixOrSeven) {
  const RunResult missing =
      RunCommand({MkfsGuard(), "--", loop_->dir().path() + "/mkfs.ext4", loop_->path()});
  EXPECT_EQ(missing.exit_code, 127) << missing.Describe();
  EXPECT_THAT(missing.err, HasSubstr("failed to execute")) << missing.Describe();
  WriteFile(loop_->dir().path() + "/mkfs.xfs", "not executable");
  const RunResult denied = RunCommand({MkfsGuard(), "--", loop_->dir().path() + "/mkfs.xfs", loop_->path()});
  EXPECT_EQ(denied.exit_code, 126) << denied.Describe();
}

}  // namespace
}  // namespace itest

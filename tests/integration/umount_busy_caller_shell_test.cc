// SPDX-License-Identifier: GPL-2.0-or-later
// `umount /mnt/x` typed in a shell that stands in /mnt/x: the kernel says EBUSY, util-linux says "target is
// busy." and nothing more. We say it, then first that the user's own shell is inside, then who else pins it.
#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class BusyWithTheCallersShellInside : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT");
    EnterPrivateMountNamespace();
    fs_.emplace();
    other_.emplace(SpawnSleepWithCwd(fs_->mountpoint()));
  }
  // A bash that prints its pid, goes to DIR, and runs umount ARGS MOUNTPOINT (forked: bash stays its parent).
  RunResult FromShellIn(const std::string& dir, const std::string& args = "") {
    return RunCommand({"bash", "-c", "echo $$; cd \"$1\" && \"$2\" " + args + " \"$3\"; exit $?", "bash", dir,
                       Umount(), fs_->mountpoint()});
  }
  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> other_;
};

// Given the shell inside and a sleep inside, we should keep util-linux's message and exit 32, then say that
// the shell is inside (with its pid) before naming the sleep.
TEST_F(BusyWithTheCallersShellInside, ShellIsNamedFirstThenTheOtherPinner) {
  RunResult r = FromShellIn(fs_->mountpoint());
  EXPECT_EQ(r.exit_code, 32) << r.Describe();
  const std::string shell = FirstLine(r.out);
  const std::string mnt = fs_->mountpoint();
  std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 3u) << r.Describe();
  EXPECT_EQ(lines[0], "umount: " + mnt + ": target is busy.");
  EXPECT_EQ(lines[1], kIndent + "your shell, pid " + shell + " (bash), is inside " + mnt + ": cd out of it");
  EXPECT_EQ(lines[2], kIndent + mnt + " is pinned by " + PinEntry(other_->pid(), "sleep", "cwd"));
  EXPECT_TRUE(Mounted(mnt));
}

// Given the shell in a directory inside the mount, the same.
TEST_F(BusyWithTheCallersShellInside, ShellInASubdirectoryIsInsideToo) {
  RunCommand({"mkdir", fs_->File("deep")});
  RunResult r = FromShellIn(fs_->File("deep"));
  EXPECT_EQ(r.exit_code, 32) << r.Describe();
  EXPECT_THAT(r.err,
              HasSubstr("your shell, pid " + FirstLine(r.out) + " (bash), is inside " + fs_->mountpoint()))
      << r.Describe();
}

// Given -q, we should print util-linux's line only.
TEST_F(BusyWithTheCallersShellInside, QuietKeepsOnlyUtilLinuxsLine) {
  RunResult r = FromShellIn(fs_->mountpoint(), "-q");
  EXPECT_EQ(r.exit_code, 32) << r.Describe();
  EXPECT_EQ(r.err, "umount: " + fs_->mountpoint() + ": target is busy.\n");
}

// Given the shell elsewhere, it is not named: only the sleep is.
TEST_F(BusyWithTheCallersShellInside, ShellOutsideIsNotNamed) {
  RunResult r = FromShellIn("/");
  EXPECT_EQ(r.exit_code, 32) << r.Describe();
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("your shell"))) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("is pinned by " + PinEntry(other_->pid(), "sleep", "cwd"))) << r.Describe();
}

}  // namespace
}  // namespace itest

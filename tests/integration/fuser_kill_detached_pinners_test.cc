// SPDX-License-Identifier: GPL-2.0-or-later
// fuser --detached -k ends the processes that keep a lazily detached filesystem alive, the way -k ends a
// file's users, but never the shell it was started from, which may be standing in that very filesystem.
#include <sys/wait.h>

#include "harness.h"

namespace itest {
namespace {

class FuserKillDetachedPinners : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FUSER");
    pinner_.emplace(SpawnSleepWithCwd(fs_.mountpoint()));
    fs_.mount().Detach();
  }

  LoopFs fs_;
  std::optional<ChildProcess> pinner_;
};

// Given a shell whose cwd is in the detached filesystem running fuser --detached -k, we should end the other
// pinner, spare the shell (and say so), and exit 0.
TEST_F(FuserKillDetachedPinners, EndsThePinnersButNotItsParentShell) {
  const std::string proc_cwd = "/proc/" + std::to_string(pinner_->pid()) + "/cwd";
  // The shell stands where the pinner stands: in the detached filesystem, reached through its /proc link.
  const RunResult run = RunCommand(
      {"bash", "-c", "cd " + proc_cwd + " && \"$0\" --detached -k -v " + fs_.device() + "; echo \"rc=$?\"",
       Fuser()});
  EXPECT_THAT(run.out, ::testing::HasSubstr("rc=0")) << run.Describe();
  EXPECT_THAT(run.err, ::testing::HasSubstr("fuser: not killing process ")) << run.Describe();
  EXPECT_THAT(run.err, ::testing::HasSubstr(": it is fuser's parent\n")) << run.Describe();
  const std::optional<int> status = pinner_->WaitForEnd(10s);
  EXPECT_TRUE(status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL) << "the pinner was not killed\n"
                                                                              << run.Describe();
  EXPECT_TRUE(WaitUntil([&] { return DeviceIsFree(fs_.device()); }, 10s)) << "the filesystem is still alive";
}

}  // namespace
}  // namespace itest

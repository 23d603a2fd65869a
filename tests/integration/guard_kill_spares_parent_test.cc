// SPDX-License-Identifier: GPL-2.0-or-later
// --kill never ends mkfs-guard's own parent: a shell standing in the filesystem it then asks mkfs-guard to
// free. Nothing is ended (ending the others would not free the device), the shell lives, mkfs is not run.
#include <sys/wait.h>

#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class GuardKillSparesParent : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    fs_.emplace("ext2");
    other_.emplace(SpawnSleepWithCwd(fs_->mountpoint()));
  }
  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> other_;
};

TEST_F(GuardKillSparesParent, ParentShellIsNotEnded) {
  const std::string out = fs_->dir().path() + "/guard.out";
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  // The shell's cwd is in the fs; it waits for the detach (a byte on fd 3), then runs mkfs-guard --kill.
  const std::string script = "read x <&3; " + MkfsGuard() + " --kill --yes -- mkfs.ext4 -q -F " +
                             fs_->device() + " >" + out + " 2>&1; echo rc=$? >>" + out;
  const pid_t shell = fork();
  ASSERT_GE(shell, 0);
  if (shell == 0) {
    dup2(go[0], 3);
    if (chdir(fs_->mountpoint().c_str()) != 0) _exit(127);
    execlp("sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(go[0]);
  ASSERT_TRUE(WaitUntil([&] { return CommOf(shell) == "sh"; }, 10s));
  fs_->mount().Detach();
  ASSERT_EQ(write(go[1], "\n", 1), 1);
  close(go[1]);
  int status = 0;
  ASSERT_EQ(waitpid(shell, &status, 0), shell);
  EXPECT_TRUE(WIFEXITED(status)) << "the shell was killed";
  const std::string text = ReadFile(out);
  EXPECT_THAT(text, HasSubstr("rc=124")) << text;
  EXPECT_THAT(text, HasSubstr(PinEntry(shell, "sh", "cwd") + ": the parent of mkfs-guard")) << text;
  EXPECT_EQ(CommOf(other_->pid()), "sleep");  // the other pinner was spared too
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// The seed scenario under the wrapper: a lazily unmounted ext2 pinned by two processes blocks mkfs (124);
// --kill asks first (no terminal, no --yes: nothing is ended); --kill --yes ends both pinners through pidfds,
// waits for the filesystem to really end, then runs mkfs.
#include <fcntl.h>

#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class GuardWrapperKill : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    fs_.emplace("ext2");
    cwd_pinner_.emplace(SpawnSleepWithCwd(fs_->mountpoint()));
    fd_pinner_.emplace(SpawnSleepWithFd(fs_->File("file"), O_WRONLY | O_CREAT, 7));
    fs_->mount().Detach();
  }
  std::vector<std::string> Mkfs(std::vector<std::string> guard_options) const {
    guard_options.insert(guard_options.begin(), MkfsGuard());
    for (const char* arg : {"--", "mkfs.ext4", "-q", "-F"}) guard_options.push_back(arg);
    guard_options.push_back(fs_->device());
    return guard_options;
  }
  std::string FsType() const { return RunCommand({"blkid", "-o", "value", "-s", "TYPE", fs_->device()}).out; }
  // Running, not a zombie waiting for this test to reap it.
  static bool Alive(const ChildProcess& p) {
    const char state = TaskState(p.pid());
    return state != '?' && state != 'Z';
  }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> cwd_pinner_;
  std::optional<ChildProcess> fd_pinner_;
};

TEST_F(GuardWrapperKill, BlockedWithoutKill) {
  const RunResult run = RunCommand(Mkfs({}));
  EXPECT_EQ(run.exit_code, 124) << run.Describe();
  EXPECT_EQ(FirstLine(run.out),
            DetachedBusyLine(fs_->device(), "ext2",
                             {PinEntry(std::min(cwd_pinner_->pid(), fd_pinner_->pid()), "sleep",
                                       cwd_pinner_->pid() < fd_pinner_->pid() ? "cwd" : "fd 7 (write)"),
                              PinEntry(std::max(cwd_pinner_->pid(), fd_pinner_->pid()), "sleep",
                                       cwd_pinner_->pid() < fd_pinner_->pid() ? "fd 7 (write)" : "cwd")}))
      << run.Describe();
  EXPECT_EQ(FsType(), "ext2\n");
}

// Given no terminal (setsid: no controlling tty) and no --yes, we should end nothing and run nothing.
TEST_F(GuardWrapperKill, KillWithoutATerminalOrYesEndsNothing) {
  std::vector<std::string> argv = Mkfs({"--kill"});
  argv.insert(argv.begin(), {"setsid", "-w"});
  const RunResult run = RunCommand(argv);
  EXPECT_EQ(run.exit_code, 124) << run.Describe();
  EXPECT_THAT(run.err, HasSubstr("--kill: no terminal to ask on")) << run.Describe();
  EXPECT_TRUE(Alive(*cwd_pinner_));
  EXPECT_TRUE(Alive(*fd_pinner_));
  EXPECT_EQ(FsType(), "ext2\n");
}

TEST_F(GuardWrapperKill, KillYesEndsThePinnersWaitsAndRunsMkfs) {
  const RunResult run = RunCommand(Mkfs({"--kill", "--yes"}));
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_THAT(run.err, HasSubstr("sent SIGTERM to " + PinEntry(cwd_pinner_->pid(), "sleep", "cwd")))
      << run.Describe();
  EXPECT_THAT(run.err, HasSubstr("sent SIGTERM to " + PinEntry(fd_pinner_->pid(), "sleep", "fd 7 (write)")))
      << run.Describe();
  EXPECT_FALSE(Alive(*cwd_pinner_));
  EXPECT_FALSE(Alive(*fd_pinner_));
  EXPECT_EQ(FsType(), "ext4\n");
}

}  // namespace
}  // namespace itest

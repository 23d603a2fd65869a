// SPDX-License-Identifier: GPL-2.0-or-later
// fuser with a FUSE filesystem whose daemon is stopped: psmisc's fuser hangs forever on a name inside it (its
// stat of the name waits on the daemon). Ours looks names up in a child killed after its bound, matches such
// a name through the mount it is on, and so finishes and still names the process using the mount.
#include <fcntl.h>

#include <algorithm>

#include "fuse_daemon.h"
#include "harness.h"

namespace itest {
namespace {

class FuserDeadFuseDaemon : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FUSER", "FUSE_HELLO");
    mountpoint_ = dir_.MakeDir("fuse");
    fuse_.emplace(mountpoint_);
    pinner_.emplace(ChildProcess::Spawn([&](const ReadyPipe& ready) {
      ChdirOrFail(ready, mountpoint_);
      OpenAsFdOrFail(ready, "hello", O_RDONLY, 5);
      ExecSleep(ready);
    }));
    WaitForComm(pinner_->pid(), "sleep");
    // From here on, a lookup of "hello" waits on the daemon: it lets the kernel cache nothing
    // (fuse_hello.cc).
    fuse_->Stop();
  }

  RunResult Fuser(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{itest::Fuser()};
    argv.insert(argv.end(), args.begin(), args.end());
    RunResult run = RunCommand(argv, 30s);
    EXPECT_FALSE(run.timed_out) << run.Describe();
    EXPECT_LT(run.elapsed, HangBound()) << run.Describe();
    return run;
  }

  bool Names(const RunResult& run, pid_t pid) const {
    const std::vector<pid_t> pids = PidsPrinted(run.out);
    return std::find(pids.begin(), pids.end(), pid) != pids.end();
  }

  TempDir dir_;
  std::string mountpoint_;
  std::optional<ChildProcess> pinner_;  // killed after the daemon: its exit flushes files through FUSE
  std::optional<FuseDaemon> fuse_;
};

// Given -m on the mount point itself, we should finish and list the pinner (its cwd and fd are on the mount).
TEST_F(FuserDeadFuseDaemon, MountPointFinishesWithThePinner) {
  const RunResult run = Fuser({"-m", mountpoint_});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_TRUE(Names(run, pinner_->pid())) << run.Describe();
  const std::string label = mountpoint_ + ":";
  EXPECT_EQ(run.err, label + std::string(label.size() < 20 ? 20 - label.size() : 0, ' ') + "c\n")
      << run.Describe();
}

// Given -m on a file inside (psmisc hangs here), we should finish within the bound, say that the filesystem
// did not answer, and still list the pinner, matched through the mount.
TEST_F(FuserDeadFuseDaemon, FileInsideMatchedThroughItsMount) {
  const std::string hello = mountpoint_ + "/hello";
  const RunResult run = Fuser({"-m", hello});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_TRUE(Names(run, pinner_->pid())) << run.Describe();
  EXPECT_THAT(run.err,
              ::testing::HasSubstr("fuser: " + hello +
                                   ": its filesystem did not answer in time; matched by the mount at " +
                                   mountpoint_ + "\n"))
      << run.Describe();
}

// Given the file itself (no -m), we should finish and find the fd open on it by its path (readlink never
// waits on the filesystem), but not the cwd.
TEST_F(FuserDeadFuseDaemon, FileItselfMatchedByItsPath) {
  const std::string hello = mountpoint_ + "/hello";
  const RunResult run = Fuser({"-v", hello});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_EQ(PidsPrinted(run.out), std::vector<pid_t>{pinner_->pid()}) << run.Describe();
  EXPECT_THAT(run.err, ::testing::HasSubstr(" f.... sleep\n")) << run.Describe();
  EXPECT_THAT(run.err, ::testing::HasSubstr("matched by its path on the mount at " + mountpoint_))
      << run.Describe();
}

// Given an unrelated directory and -v, we should finish (nothing on the way asks the dead filesystem) and
// find nobody using it.
TEST_F(FuserDeadFuseDaemon, UnrelatedNameFinishes) {
  const RunResult run = Fuser({"-v", dir_.path()});
  EXPECT_EQ(run.exit_code, 1) << run.Describe();
  EXPECT_EQ(run.out, "") << run.Describe();
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// fuser --detached, and fuser -m where the filesystem is only lazily detached: an ext2 loop filesystem, a
// sleep with its cwd inside and a bash holding fd 7 open for writing on a file inside, then umount --lazy, as
// journaled by umount (a record made while it was attached).
#include <fcntl.h>

#include <ctime>

#include "harness.h"
#include "journal/journal.h"
#include "scan/scan.h"

namespace itest {
namespace {

class FuserDetached : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FUSER");
    WriteFile(fs_.File("f"), "x\n");
    sleeper_.emplace(SpawnSleepWithCwd(fs_.mountpoint()));
    writer_.emplace(SpawnSleepWithFd(fs_.File("f"), O_WRONLY | O_APPEND, 7));
    Journal();
    fs_.mount().Detach();
  }

  // The record umount makes of the detach, from the mount as a snapshot shows it while attached.
  void Journal() {
    auto snapshot = detach::take_snapshot(detach::ScanOptions{});
    ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message();
    const detach::Mount* m = snapshot->mount(fs_.mount().unique_id());
    ASSERT_NE(m, nullptr);
    auto boot = detach::current_boot_id();
    ASSERT_TRUE(boot.has_value());
    ASSERT_TRUE(detach::DetachJournal().append(
        detach::record_of(*m, static_cast<long long>(std::time(nullptr)), "umount", *boot)));
  }

  RunResult Fuser(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{itest::Fuser()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  std::string Pad(const std::string& label) const {
    const std::string out = label + ":";
    return out + std::string(out.size() < 20 ? 20 - out.size() : 0, ' ');
  }
  std::string Pids() const {
    char out[32];
    std::snprintf(out, sizeof out, " %5d %5d", sleeper_->pid(), writer_->pid());
    return out;
  }

  LoopFs fs_;
  std::optional<ChildProcess> sleeper_, writer_;
};

// Given no name, we should list the detached filesystem by its device, with both pinners, as psmisc would
// print the users of a name (among those of any other detached filesystem the host has).
TEST_F(FuserDetached, ListsEveryDetachedFilesystem) {
  const RunResult run = Fuser({"--detached"});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_THAT(run.out, ::testing::HasSubstr(Pids())) << run.Describe();
  EXPECT_THAT(run.err, ::testing::HasSubstr(Pad(fs_.device()) + "c\n")) << run.Describe();
}

// Given -v, we should show the former mount point, fs type, and how each pins it.
TEST_F(FuserDetached, VerboseSaysWhereAndHow) {
  const RunResult run = Fuser({"--detached", "-v", fs_.device()});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_EQ(run.out, "kernel" + Pids()) << run.Describe();
  EXPECT_THAT(run.err, ::testing::StartsWith(std::string(20, ' ') + " USER        PID ACCESS COMMAND\n" +
                                             Pad(fs_.device()) + " root      mount " + fs_.mountpoint() +
                                             " (ext2, detached)\n" + std::string(20, ' ') +
                                             " root      ..c.. sleep: cwd\n" + std::string(20, ' ') +
                                             " root      F.... sleep: fd 7 (write)\n"))
      << run.Describe();
}

// Given the former mount point (known from the journal only: the path shows the filesystem under it now),
// we should list the same pinners.
TEST_F(FuserDetached, NamedByItsFormerMountPoint) {
  const RunResult run = Fuser({"--detached", fs_.mountpoint()});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_EQ(run.out, Pids()) << run.Describe();
}

// Given a path no detached filesystem was mounted at, we should find nothing (exit 1), as for an unused name.
TEST_F(FuserDetached, OtherNamesFindNothing) {
  const RunResult run = Fuser({"--detached", fs_.dir().path()});
  EXPECT_EQ(run.exit_code, 1) << run.Describe();
  EXPECT_EQ(run.out, "") << run.Describe();
}

// Given -m on the device, we should list its pinners as psmisc does (by device number) and say on stderr
// that its filesystem is only lazily detached.
TEST_F(FuserDetached, MountOptionOnTheDeviceSaysItIsDetached) {
  const RunResult run = Fuser({"-m", fs_.device()});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_THAT(run.out, ::testing::HasSubstr(Pids())) << run.Describe();  // udev may probe the device too
  EXPECT_THAT(run.err,
              ::testing::HasSubstr("fuser: " + fs_.device() +
                                   ": its filesystem is mounted nowhere: it was lazily unmounted from " +
                                   fs_.mountpoint() + " and is still in use"))
      << run.Describe();
}

// Given -m on the former mount point, we should list (as psmisc) what uses the filesystem under it now, and
// say that the detached one is elsewhere.
TEST_F(FuserDetached, MountOptionOnTheFormerMountPointSaysWhereItWent) {
  const RunResult run = Fuser({"-m", fs_.mountpoint()});
  EXPECT_THAT(run.err, ::testing::HasSubstr("fuser: " + fs_.mountpoint() + ": the ext2 " + fs_.device() +
                                            " once mounted here was lazily unmounted and is still in use"))
      << run.Describe();
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// xfs with its log on a device of its own (mkfs.xfs -l logdev=LOG, mounted with logdev=LOG), pinned by a
// process's cwd: the kernel keeps LOG claimed as long as the filesystem lives, and says so only in the
// mount's options (mountinfo's logdev=), and once lazily unmounted nowhere but in what the journal recorded
// of it. Every tool names the filesystem and its pinner for LOG, attached and lazily detached.
#include "fs_device_util.h"

namespace itest {
namespace {

class XfsExternalLog : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD", "FUSER", "FINDMNT", "UMOUNT");
    data_.emplace(300);
    log_.emplace(64);
    other_.emplace(64);
    RunOrThrow({"mkfs.xfs", "-q", "-f", "-l", "logdev=" + log_->path(), data_->path()});
    mount_.emplace(data_->path(), data_->dir().MakeDir("x"), "xfs", 0, "logdev=" + log_->path());
    pinner_.emplace(SpawnSleepWithCwd(mount_->target()));
  }

  std::string Entry() const { return PinEntry(pinner_->pid(), "sleep", "cwd"); }
  const std::string& Target() const { return mount_->target(); }

  // Our umount -l: it journals the detach with the mount's options, logdev= among them.
  void LazyUmount() {
    const RunResult r = RunCommand({Umount(), "-l", Target()});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    EXPECT_EQ(Lines(r.err), (std::vector<std::string>{
                                "umount: " + Target() +
                                    ": lazily unmounted, but its filesystem lives on, pinned by " + Entry(),
                                kIndent + "findmnt --detached shows it; mkfs-guard --wait " + data_->path() +
                                    " waits for its end"}));
  }

  std::optional<BlankLoop> data_, log_, other_;
  std::optional<Mount> mount_;
  std::optional<ChildProcess> pinner_;
};

// Given the filesystem mounted, we should hear from mkfs-guard that LOG is its log device, where it is
// mounted and who pins it, in text and JSON, and from fuser -v which filesystem claims LOG.
TEST_F(XfsExternalLog, MountedIsNamedForTheLogDevice) {
  const RunResult guard = RunCommand({MkfsGuard(), log_->path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), log_->path() + " is busy: it is " +
                                      ClaimPhrase("the external log device", "xfs", data_->path()) +
                                      ", which is mounted at " + Target())
      << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr("\n  pinned by: " + Entry() + "\n")) << guard.Describe();
  ExpectNoUnknownOrGuess(guard);

  const nlohmann::json nested = ClaimReasonOf(log_->path(), "log", "xfs", data_->path());
  ASSERT_EQ(nested.size(), 1u) << nested.dump(2);
  EXPECT_EQ(Text(nested[0], "kind"), "mounted");
  EXPECT_EQ(Text(nested[0], "target"), Target());
  EXPECT_EQ(PinnersOf(nested[0]), Entry());

  const RunResult fuser = RunCommand({Fuser(), "-v", log_->path()});
  EXPECT_EQ(fuser.exit_code, 0) << fuser.Describe();
  EXPECT_THAT(fuser.err,
              HasSubstr(FuserNameColumn(log_->path()) +
                        FuserClaimRow(Target(), "external log device", "xfs", data_->path(), false)))
      << fuser.Describe();
  // -m LOG stands for the filesystem that claims it (this test's own read-only fd on LOG is listed too).
  const RunResult fuser_m = RunCommand({Fuser(), "-m", log_->path()});
  EXPECT_THAT(PidsPrinted(fuser_m.out), ::testing::Contains(pinner_->pid())) << fuser_m.Describe();

  // The data device is mounted, not a log; a free device stays free.
  const RunResult data = RunCommand({MkfsGuard(), data_->path()});
  EXPECT_EQ(FirstLine(data.out), data_->path() + " is busy: it is mounted at " + Target()) << data.Describe();
  EXPECT_THAT(data.out, Not(HasSubstr("log device"))) << data.Describe();
  const RunResult free = RunCommand({MkfsGuard(), "-q", other_->path()});
  EXPECT_EQ(free.exit_code, 0) << free.Describe();
}

// Given it lazily unmounted by our umount (which names the pinner and journals the options), we should hear
// that LOG is the log device of a filesystem lazily unmounted from its place and still pinned, see that
// filesystem listed (by its data device, not LOG) by findmnt --detached, and fuser --detached -v on LOG name
// it and its pinner.
TEST_F(XfsExternalLog, LazilyUnmountedIsNamedForTheLogDevice) {
  LazyUmount();
  const RunResult guard = RunCommand({MkfsGuard(), log_->path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out),
            log_->path() + " is busy: it is " + ClaimPhrase("the external log device", "xfs", data_->path()) +
                ", which was lazily unmounted from " + Target() + " and is still pinned by: " + Entry())
      << guard.Describe();
  ExpectNoUnknownOrGuess(guard);

  const nlohmann::json nested = ClaimReasonOf(log_->path(), "log", "xfs", data_->path());
  ASSERT_EQ(nested.size(), 1u) << nested.dump(2);
  EXPECT_EQ(Text(nested[0], "kind"), "detached-mount");
  EXPECT_EQ(Text(nested[0], "former-target"), Target());
  EXPECT_EQ(PinnersOf(nested[0]), Entry());

  const DetachedListing listing = ListDetached();
  const std::vector<nlohmann::json> rows = listing.RowsFor(data_->path());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_EQ(Text(rows[0], "target"), Target());
  EXPECT_EQ(PinnersOf(rows[0]), Entry());
  EXPECT_TRUE(listing.RowsFor(log_->path()).empty()) << listing.run.Describe();
  // findmnt -S LOG finds no mount (as util-linux), and its hint says what LOG is to the detached filesystem.
  const RunResult by_log = RunCommand({Findmnt(), "-S", log_->path()});
  EXPECT_EQ(by_log.exit_code, 1) << by_log.Describe();
  EXPECT_EQ(by_log.out, "") << by_log.Describe();
  EXPECT_EQ(
      Lines(by_log.err),
      (std::vector<std::string>{"findmnt: " + log_->path() +
                                " is not mounted, but it is the external log device of a lazily unmounted "
                                "xfs filesystem still pinned by " +
                                Entry() + " (see findmnt --detached)"}))
      << by_log.Describe();

  const RunResult fuser = RunCommand({Fuser(), "--detached", "-v", log_->path()});
  EXPECT_EQ(fuser.exit_code, 0) << fuser.Describe();
  EXPECT_THAT(fuser.err,
              HasSubstr(FuserClaimRow(Target(), "external log device", "xfs", data_->path(), true) + "\n"))
      << fuser.Describe();
  EXPECT_EQ(PidsPrinted(fuser.out), std::vector<pid_t>{pinner_->pid()}) << fuser.Describe();
}

// Given it lazily unmounted, we should have mkfs-guard --wait on LOG wait for that filesystem's end (its
// pinner's exit), then find LOG free.
TEST_F(XfsExternalLog, WaitingOnTheLogDeviceEndsWithTheFilesystem) {
  LazyUmount();
  AsyncCommand guard({MkfsGuard(), "--wait=60", log_->path()});
  ASSERT_TRUE(guard.WaitForStderr("waiting until")) << guard.Finish(1s).Describe();
  pinner_.reset();
  const RunResult run = guard.Finish();
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_EQ(FirstLine(run.out), log_->path() + " is free: mkfs can use it") << run.Describe();
}

}  // namespace
}  // namespace itest

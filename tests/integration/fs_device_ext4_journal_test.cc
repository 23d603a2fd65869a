// SPDX-License-Identifier: GPL-2.0-or-later
// ext4 with its journal on a device of its own (mke2fs -O journal_dev J, mkfs.ext4 -J device=J), pinned by
// a process's cwd: the kernel keeps J claimed while the filesystem lives, and states it by the name of the
// filesystem's jbd2 thread (sysfs journal_task: "jbd2/J"), mounted or lazily unmounted. Every tool names the
// filesystem and its pinner for J.
#include "fs_device_util.h"

namespace itest {
namespace {

class Ext4ExternalJournal : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD", "FUSER", "FINDMNT", "UMOUNT");
    data_.emplace(64);
    journal_.emplace(64);
    RunOrThrow({"mke2fs", "-q", "-F", "-O", "journal_dev", journal_->path()});
    RunOrThrow({"mkfs.ext4", "-q", "-F", "-J", "device=" + journal_->path(), data_->path()});
    mount_.emplace(data_->path(), data_->dir().MakeDir("e"), "ext4");
    pinner_.emplace(SpawnSleepWithCwd(mount_->target()));
  }

  std::string Entry() const { return PinEntry(pinner_->pid(), "sleep", "cwd"); }
  const std::string& Target() const { return mount_->target(); }

  std::optional<BlankLoop> data_, journal_;
  std::optional<Mount> mount_;
  std::optional<ChildProcess> pinner_;
};

// Given the filesystem mounted, we should hear from mkfs-guard that J is its journal device, where it is
// mounted and who pins it, in text and JSON, and from fuser -v which filesystem claims J.
TEST_F(Ext4ExternalJournal, MountedIsNamedForTheJournalDevice) {
  const RunResult guard = RunCommand({MkfsGuard(), journal_->path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), journal_->path() + " is busy: it is " +
                                      ClaimPhrase("the external journal device", "ext4", data_->path()) +
                                      ", which is mounted at " + Target())
      << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr("\n  pinned by: " + Entry() + "\n")) << guard.Describe();
  ExpectNoUnknownOrGuess(guard);

  const nlohmann::json nested = ClaimReasonOf(journal_->path(), "journal", "ext4", data_->path());
  ASSERT_EQ(nested.size(), 1u) << nested.dump(2);
  EXPECT_EQ(Text(nested[0], "kind"), "mounted");
  EXPECT_EQ(PinnersOf(nested[0]), Entry());

  const RunResult fuser = RunCommand({Fuser(), "-v", journal_->path()});
  EXPECT_EQ(fuser.exit_code, 0) << fuser.Describe();
  EXPECT_THAT(fuser.err,
              HasSubstr(FuserNameColumn(journal_->path()) +
                        FuserClaimRow(Target(), "external journal device", "ext4", data_->path(), false)))
      << fuser.Describe();

  const RunResult data = RunCommand({MkfsGuard(), data_->path()});
  EXPECT_EQ(FirstLine(data.out), data_->path() + " is busy: it is mounted at " + Target()) << data.Describe();
  EXPECT_THAT(data.out, Not(HasSubstr("journal device"))) << data.Describe();
}

// Given it lazily unmounted by our umount, we should hear its pinner from umount, and for J that it is the
// journal device of a filesystem lazily unmounted from its place and still pinned, from mkfs-guard and
// fuser --detached -v; findmnt --detached lists the filesystem by its own device, not J.
TEST_F(Ext4ExternalJournal, LazilyUnmountedIsNamedForTheJournalDevice) {
  const RunResult umount = RunCommand({Umount(), "-l", Target()});
  EXPECT_EQ(umount.exit_code, 0) << umount.Describe();
  EXPECT_EQ(FirstLine(umount.err),
            "umount: " + Target() + ": lazily unmounted, but its filesystem lives on, pinned by " + Entry())
      << umount.Describe();

  const RunResult guard = RunCommand({MkfsGuard(), journal_->path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), journal_->path() + " is busy: it is " +
                                      ClaimPhrase("the external journal device", "ext4", data_->path()) +
                                      ", which was lazily unmounted from " + Target() +
                                      " and is still pinned by: " + Entry())
      << guard.Describe();
  ExpectNoUnknownOrGuess(guard);
  const nlohmann::json nested = ClaimReasonOf(journal_->path(), "journal", "ext4", data_->path());
  ASSERT_EQ(nested.size(), 1u) << nested.dump(2);
  EXPECT_EQ(Text(nested[0], "kind"), "detached-mount");
  EXPECT_EQ(Text(nested[0], "former-target"), Target());

  const DetachedListing listing = ListDetached();
  ASSERT_EQ(listing.RowsFor(data_->path()).size(), 1u) << listing.run.Describe();
  EXPECT_TRUE(listing.RowsFor(journal_->path()).empty()) << listing.run.Describe();

  const RunResult fuser = RunCommand({Fuser(), "--detached", "-v", journal_->path()});
  EXPECT_EQ(fuser.exit_code, 0) << fuser.Describe();
  EXPECT_THAT(
      fuser.err,
      HasSubstr(FuserClaimRow(Target(), "external journal device", "ext4", data_->path(), true) + "\n"))
      << fuser.Describe();
  EXPECT_EQ(PidsPrinted(fuser.out), std::vector<pid_t>{pinner_->pid()}) << fuser.Describe();
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// `umount -l` of a pinned filesystem: it succeeds as util-linux's does, then says in two lines what still
// pins the detached filesystem, and records the detach in the journal, so `findmnt --detached` shows where it
// was.
#include <fcntl.h>

#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class LazyUmountOfAPinnedFilesystem : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT");
    EnterPrivateMountNamespace();
    fs_.emplace();
    unique_id_ = fs_->mount().unique_id();
  }
  std::optional<LoopFs> fs_;
  std::uint64_t unique_id_ = 0;
};

// Given a cwd and a written fd inside, we should exit 0, name both pinners once, point at findmnt --detached,
// journal the detach with its place and pinners, and have findmnt --detached show that place.
TEST_F(LazyUmountOfAPinnedFilesystem, ReportsItsPinnersAndJournalsTheDetach) {
  ChildProcess cwd = SpawnSleepWithCwd(fs_->mountpoint());
  ChildProcess fd = SpawnSleepWithFd(fs_->File("log"), O_WRONLY | O_CREAT, 7);
  const std::string mnt = fs_->mountpoint();
  RunResult r = RunCommand({Umount(), "-l", mnt});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  const std::string pinners =
      JoinPins({PinEntry(cwd.pid(), "sleep", "cwd"), PinEntry(fd.pid(), "sleep", "fd 7 (write)")});
  EXPECT_EQ(Lines(r.err),
            (std::vector<std::string>{"umount: " + mnt +
                                          ": lazily unmounted, but its filesystem lives on, pinned by 2 "
                                          "processes: " +
                                          pinners,
                                      kIndent + "findmnt --detached shows it; mkfs-guard --wait " +
                                          fs_->device() + " waits for its end"}));
  EXPECT_TRUE(r.out.empty());
  EXPECT_FALSE(Mounted(mnt));

  std::vector<detach::DetachRecord> records = UmountRecords();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].unique_id, unique_id_);
  EXPECT_EQ(records[0].target, mnt);
  EXPECT_EQ(records[0].source, fs_->device());
  EXPECT_EQ(records[0].fstype, "ext2");
  EXPECT_EQ(records[0].pinners, pinners);
  EXPECT_THAT(records[0].options, HasSubstr("rw"));

  DetachedListing listing = ListDetached();
  std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_EQ(Text(rows[0], "target"), mnt);
  EXPECT_EQ(UniqIdOf(rows[0]), unique_id_);
}

// Given nothing inside, umount -l says nothing, exactly like util-linux, and still records the detach.
TEST_F(LazyUmountOfAPinnedFilesystem, IdleSaysNothingButIsJournaled) {
  RunResult r = RunCommand({Umount(), "-l", fs_->mountpoint()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.err, "");
  std::vector<detach::DetachRecord> records = UmountRecords();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].target, fs_->mountpoint());
  EXPECT_TRUE(records[0].pinners.empty());
  EXPECT_TRUE(DeviceIsFree(fs_->device()));
}

// Given -q, nothing is said, and the detach is recorded all the same.
TEST_F(LazyUmountOfAPinnedFilesystem, QuietSaysNothingButIsJournaled) {
  ChildProcess cwd = SpawnSleepWithCwd(fs_->mountpoint());
  RunResult r = RunCommand({Umount(), "-l", "-q", fs_->mountpoint()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.err, "");
  ASSERT_EQ(UmountRecords().size(), 1u);
  EXPECT_EQ(UmountRecords()[0].pinners, PinEntry(cwd.pid(), "sleep", "cwd"));
}

// Given a journal that nobody else may trust (group-writable), umount -l still succeeds and says nothing of
// it; with -v it says, in one line, that the detach is not recorded.
TEST_F(LazyUmountOfAPinnedFilesystem, UntrustedJournalNeverFailsTheUmount) {
  RunCommand({"mkdir", "-p", detach::kDefaultJournalDir});
  WriteFile(std::string(detach::kDefaultJournalDir) + "/journal", "");
  RunCommand({"chmod", "0666", std::string(detach::kDefaultJournalDir) + "/journal"});
  RunResult r = RunCommand({Umount(), "-l", "-v", fs_->mountpoint()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 2u) << r.Describe();
  EXPECT_EQ(lines[0], "umount: " + fs_->mountpoint() + " (" + fs_->device() + ") unmounted");
  EXPECT_EQ(lines[1], "umount: warning: the detach of " + fs_->mountpoint() + " is not recorded: open " +
                          detach::kDefaultJournalDir +
                          "/journal: not trusted: writable by others: Operation not "
                          "permitted");
}

// Given a journal line forged by nobody (the journal file theirs) for our detached mount, root's findmnt
// --detached must not show the forged place: the mount is listed with no former mount point.
TEST_F(LazyUmountOfAPinnedFilesystem, ForgedLineFromNobodyIsNotShown) {
  ChildProcess cwd = SpawnSleepWithCwd(fs_->mountpoint());
  fs_->mount().Detach();
  auto boot = detach::current_boot_id();
  ASSERT_TRUE(boot.has_value());
  detach::DetachRecord forged;
  forged.boot_id = *boot;
  forged.unique_id = unique_id_;
  forged.target = "/forged/by/nobody";
  RunCommand({"mkdir", "-p", detach::kDefaultJournalDir});
  const std::string file = std::string(detach::kDefaultJournalDir) + "/journal";
  WriteFile(file, detach::format_journal_line(forged));
  RunCommand({"chown", "nobody", file});
  DetachedListing listing = ListDetached();
  std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_EQ(Text(rows[0], "target"), "") << "a forged place shows in root's findmnt --detached";
  EXPECT_EQ(listing.run.out.find("/forged/"), std::string::npos) << listing.run.Describe();
}

}  // namespace
}  // namespace itest

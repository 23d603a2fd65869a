// SPDX-License-Identifier: GPL-2.0-or-later
// `umount -l` of a pinned filesystem: it succeeds as util-linux's does, then says in two lines what still
// pins the detached filesystem, and records the detach in the journal, so `findmnt --detached` shows where it
// was.
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class LazyUmountOfAPinnedFilesystem : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT", "FUSER");
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

// Given umount's record of the detach, then a watcher's record of it, a second later and without a place,
// findmnt --detached and fuser --detached should still name the former mount point: a later record that
// knows less hides nothing. A watcher records a detach so when the mount was made in a namespace that came
// after the watcher started, and was detached before something woke the watcher to look at that namespace
// (seen by hand: umount -l in a new namespace, then any mount event where the watcher looks). When that
// happens depends on what else the machine does, so the watcher's line is written here as it writes it.
TEST_F(LazyUmountOfAPinnedFilesystem, ALaterRecordWithoutAPlaceHidesNoFormerMountPoint) {
  ChildProcess cwd = SpawnSleepWithCwd(fs_->mountpoint());
  const std::string mnt = fs_->mountpoint();
  RunResult r = RunCommand({Umount(), "-l", "-q", mnt});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::vector<detach::DetachRecord> by_umount = UmountRecords();
  ASSERT_EQ(by_umount.size(), 1u);
  ASSERT_EQ(by_umount[0].target, mnt);
  detach::DetachRecord blind;
  blind.boot_id = by_umount[0].boot_id;
  blind.unique_id = unique_id_;
  blind.dev = by_umount[0].dev;
  blind.detached_at = by_umount[0].detached_at + 1;
  blind.source = fs_->device();
  blind.fstype = "ext2";
  blind.recorded_by = "findmnt --poll";
  ASSERT_TRUE(detach::DetachJournal().append(blind));

  DetachedListing listing = ListDetached();
  std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_EQ(Text(rows[0], "target"), mnt) << listing.run.Describe();
  EXPECT_EQ(PinnersOf(rows[0]), PinEntry(cwd.pid(), "sleep", "cwd"));
  RunResult fuser = RunCommand({Fuser(), "--detached", "-v"});
  EXPECT_THAT(fuser.err, HasSubstr(fs_->device() + ":")) << fuser.Describe();
  EXPECT_THAT(fuser.err, HasSubstr(" mount " + mnt + " (ext2, detached)")) << fuser.Describe();
}

// Given a journal that nobody else may trust (group-writable), umount -l still succeeds and says, in one line
// and without being asked (nothing else would tell), that the detach is not recorded.
TEST_F(LazyUmountOfAPinnedFilesystem, UntrustedJournalNeverFailsTheUmount) {
  RunCommand({"mkdir", "-p", detach::kDefaultJournalDir});
  WriteFile(std::string(detach::kDefaultJournalDir) + "/journal", "");
  RunCommand({"chmod", "0666", std::string(detach::kDefaultJournalDir) + "/journal"});
  const std::string warning = "umount: warning: the detach of " + fs_->mountpoint() +
                              " is not recorded: open " + detach::kDefaultJournalDir +
                              "/journal: not trusted: writable by others: Operation not permitted";
  RunResult r = RunCommand({Umount(), "-l", "-v", fs_->mountpoint()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 2u) << r.Describe();
  EXPECT_EQ(lines[0], "umount: " + fs_->mountpoint() + " (" + fs_->device() + ") unmounted");
  EXPECT_EQ(lines[1], warning);
  fs_->MountAt();
  RunResult quiet = RunCommand({Umount(), "-l", fs_->mountpoint()});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.Describe();
  EXPECT_EQ(Lines(quiet.err), std::vector<std::string>{warning}) << quiet.Describe();
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

// A /run with no room left: its own tmpfs on the journal's directory, holding others' records (RECORDS of
// them) and then filled up. Unmounted at the end (the namespace is the test's own, but the mount is ours).
class FullJournalDir {
 public:
  explicit FullJournalDir(std::size_t records) {
    const std::string dir = detach::kDefaultJournalDir;
    RunCommand({"mkdir", "-p", dir});
    RunCommand({"mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "itest-full-run", dir});
    auto boot = detach::current_boot_id();
    if (!boot) throw std::runtime_error(boot.error().message());
    for (std::size_t i = 0; i < records; ++i) {
      detach::DetachRecord r;
      r.boot_id = *boot;
      r.unique_id = 1'000'000 + i;
      r.target = "/srv/others/" + std::string(150, 'x') + std::to_string(i);
      r.source = "/dev/others" + std::to_string(i);
      r.fstype = "ext4";
      r.recorded_by = "findmnt --poll";
      journal_ += detach::format_journal_line(r) + "\n";
    }
    // Up to a page's end (tmpfs pages), with a line readers skip: the append then needs a page of its own.
    const std::size_t used = (journal_.size() + 2) % 4096;
    journal_ += std::string(used ? 4096 - used : 0, '#') + "#\n";
    WriteFile(dir + "/journal", journal_);
    // Fill what is left: a filler file written until the tmpfs says ENOSPC.
    UniqueFd filler(::open((dir + "/filler").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    const std::string chunk(4096, 'f');
    while (::write(filler.get(), chunk.data(), chunk.size()) > 0) {
    }
  }
  ~FullJournalDir() { umount2(detach::kDefaultJournalDir, MNT_DETACH); }
  FullJournalDir(const FullJournalDir&) = delete;
  FullJournalDir& operator=(const FullJournalDir&) = delete;

  const std::string& journal() const { return journal_; }

 private:
  std::string journal_;
};

// Given a /run with no room left, umount -l still succeeds, says with -v that the detach is not recorded, and
// the journal keeps every record of others: appended to (a small journal) or rewritten (past
// kJournalMaxBytes), it is at most added to, never cut.
TEST_F(LazyUmountOfAPinnedFilesystem, FullRunNeverFailsTheUmountNorLosesOthersRecords) {
  for (std::size_t records : {std::size_t{20}, detach::kJournalMaxBytes / 180}) {
    SCOPED_TRACE(std::to_string(records) + " records of others");
    std::optional<LoopFs> fs;
    const std::string mnt = records == 20 ? fs_->mountpoint() : fs.emplace().mountpoint();
    ChildProcess pin = SpawnSleepWithCwd(mnt);
    FullJournalDir full(records);
    ASSERT_EQ(full.journal().size() > detach::kJournalMaxBytes, records != 20);
    RunResult r = RunCommand({Umount(), "-l", "-v", mnt});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    EXPECT_FALSE(Mounted(mnt));
    EXPECT_THAT(r.err, HasSubstr("lazily unmounted, but its filesystem lives on")) << r.Describe();
    EXPECT_THAT(r.err, HasSubstr("warning: the detach of " + mnt + " is not recorded")) << r.Describe();
    EXPECT_THAT(r.err, HasSubstr("No space left on device")) << r.Describe();
    const std::string after = ReadFile(std::string(detach::kDefaultJournalDir) + "/journal");
    EXPECT_EQ(after.compare(0, full.journal().size(), full.journal()), 0) << "the journal lost records";
    auto read = detach::DetachJournal().read({});
    ASSERT_TRUE(read.has_value()) << read.error().message();
    std::size_t others = 0;
    for (const detach::DetachRecord& rec : *read) others += rec.recorded_by == "findmnt --poll";
    EXPECT_EQ(others, records);
  }
}

}  // namespace
}  // namespace itest

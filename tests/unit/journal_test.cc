// SPDX-License-Identifier: GPL-2.0-or-later
// The journal of lazy detaches on its own: lossless for any bytes, tolerant of what it did not write,
// bounded, and safe with concurrent writers.
#include "journal/journal.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace detach {
namespace {

constexpr const char* kBoot = "0d2b5b0c-1111-4c4c-8a8a-000000000001";
constexpr const char* kOtherBoot = "0d2b5b0c-2222-4c4c-8a8a-000000000002";

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = "/tmp/journal-test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override {
    auto remove_one = [](const char* path, const struct stat*, int, struct FTW*) { return ::remove(path); };
    ::nftw(root_.c_str(), remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  }
  // The journal's dir does not exist yet: append has to make it.
  std::string dir() const { return root_ + "/j"; }
  DetachJournal journal() const { return DetachJournal(dir()); }

  std::string Contents() const {
    std::ifstream in(journal().path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void WriteRaw(const std::string& bytes, bool append = true) const {
    ::mkdir(dir().c_str(), 0755);
    std::ofstream out(journal().path(), std::ios::binary | (append ? std::ios::app : std::ios::trunc));
    out << bytes;
  }
  std::vector<std::string> DirEntries() const {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(dir().c_str())) {
      while (struct dirent* e = ::readdir(d))
        if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") out.push_back(e->d_name);
      ::closedir(d);
    }
    return out;
  }
  std::vector<DetachRecord> Read(const std::string& boot = kBoot) const {
    auto records = journal().read(boot);
    EXPECT_TRUE(records.has_value()) << records.error().message();
    return records ? *records : std::vector<DetachRecord>{};
  }

  std::string root_;
};

DetachRecord Record(std::uint64_t id, std::string target = "/mnt/x", long long at = 1700000000,
                    std::string boot = kBoot) {
  DetachRecord r;
  r.boot_id = std::move(boot);
  r.unique_id = id;
  r.old_id = static_cast<std::uint32_t>(id % 100000);
  r.ns_id = 0x100000000ull + id;
  r.dev = DeviceNumber{7, static_cast<unsigned>(id % 256)};
  r.detached_at = at;
  r.target = std::move(target);
  r.source = "/dev/loop0";
  r.fstype = "ext2";
  r.recorded_by = "umount";
  return r;
}

std::size_t CountLines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Given paths and names with spaces, tabs, newlines, backslashes, escape-like text, every high byte, empty
// strings and a 4096-byte path, we should read back exactly the records we wrote, one line each.
TEST_F(JournalTest, HostileRecordsRoundTrip) {
  std::string every_high_byte;
  for (int c = 0x80; c <= 0xff; ++c) every_high_byte += static_cast<char>(c);
  std::vector<DetachRecord> written;
  written.push_back(Record(2147483649, "/tmp/a b\tc\nd\\e"));
  written.push_back(Record(2147483650, "/tmp/\\040 not an escape\\ =x=\x01\x7f"));
  written.push_back(Record(2147483651, "/tmp/" + every_high_byte));
  DetachRecord empty = Record(2147483652, "");
  empty.source.clear();
  empty.fstype.clear();
  empty.recorded_by.clear();
  empty.dev = DeviceNumber{};
  written.push_back(empty);
  written.push_back(Record(2147483653, "/" + std::string(4095, 'p')));
  DetachRecord hostile_fields = Record(2147483654, "\n");
  hostile_fields.source = "src with\ttab\n";
  hostile_fields.fstype = "fuse.my fs";
  hostile_fields.recorded_by = "findmnt --poll";
  hostile_fields.unique_id = UINT64_MAX;
  hostile_fields.ns_id = UINT64_MAX;
  hostile_fields.old_id = UINT32_MAX;
  hostile_fields.detached_at = -1;
  written.push_back(hostile_fields);
  for (const DetachRecord& r : written) ASSERT_TRUE(journal().append(r)) << r.target;

  EXPECT_EQ(Read(), written);
  std::string text = Contents();
  EXPECT_EQ(CountLines(text), written.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(c == '\n' || c == '\t' || (u > 0x20 && u < 0x7f)) << "raw byte " << int{u} << " in the file";
  }
  EXPECT_EQ(text.substr(0, 4), "DJ1\t");
}

TEST_F(JournalTest, FileAndDirAreCreatedWithTheirModes) {
  mode_t old = ::umask(077);
  ASSERT_TRUE(journal().append(Record(1)));
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  ASSERT_EQ(::stat(journal().path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_EQ(journal().path(), dir() + "/journal");
}

TEST_F(JournalTest, MissingFileOrDirIsAnEmptyJournal) {
  EXPECT_TRUE(Read().empty());
  ASSERT_EQ(::mkdir(dir().c_str(), 0755), 0);
  EXPECT_TRUE(Read().empty());
}

// Given a writer that died mid-line, we should skip its line, and the next append should not be glued to it.
TEST_F(JournalTest, TruncatedLastLineIsSkippedAndNotGluedToTheNextRecord) {
  ASSERT_TRUE(journal().append(Record(10)));
  std::string whole = format_journal_line(Record(11, "/mnt/cut here"));
  // Cut inside the target: what remains would parse as a record with a shorter target if it were accepted.
  std::string cut = whole.substr(0, whole.find("cut") + 3);
  WriteRaw(cut);
  auto records = Read();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].unique_id, 10u);

  ASSERT_TRUE(journal().append(Record(12)));
  records = Read();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].unique_id, 10u);
  EXPECT_EQ(records[1], Record(12));
  // Even with its newline, the cut line lacks its end token.
  EXPECT_FALSE(parse_journal_line(cut).has_value());
  EXPECT_FALSE(parse_journal_line(whole.substr(0, whole.size() - 2)).has_value());
}

// Given a journal of 2 GiB (sparse: zeros, then a record at its end), we should read its last records without
// reading (or holding) the whole file, and an append should rewrite it down to the bound.
TEST_F(JournalTest, HugeJournalIsReadFromItsEndOnly) {
  ASSERT_TRUE(journal().append(Record(40)));
  ASSERT_EQ(::truncate(journal().path().c_str(), off_t{2} << 30), 0);
  WriteRaw("\n" + format_journal_line(Record(41, "/at/the/end")) + "\n");
  auto records = Read();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0], Record(41, "/at/the/end"));

  ASSERT_TRUE(journal().append(Record(42)));
  struct stat st {};
  ASSERT_EQ(::stat(journal().path().c_str(), &st), 0);
  EXPECT_LE(static_cast<std::size_t>(st.st_size), kJournalMaxBytes);
  records = Read();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], Record(41, "/at/the/end"));
  EXPECT_EQ(records[1], Record(42));
}

TEST_F(JournalTest, GarbageLinesUnknownKeysAndOtherVersionsAreSkipped) {
  std::string good = format_journal_line(Record(20));
  std::string with_unknown = format_journal_line(Record(21));
  with_unknown.insert(with_unknown.find("\tend\n"), "\tcolor=blue\tpinners2=1\\0402");
  WriteRaw("garbage\n\n\t\tend\n" + good + "DJ2\tboot=" + kBoot + "\tuid=22\tend\n" + "DJ1\tboot=" + kBoot +
           "\tuid=notanumber\tend\n" + "DJ1\tboot=" + kBoot + "\tuid=23\tbadtoken\tend\n" +
           "DJ1\tboot=" + kBoot + "\tuid=24\ttarget=\\9xx\tend\n" + "DJ1\tuid=25\tend\n" +
           "DJ1\tboot=" + kBoot + "\tuid=26\tdev=7\tend\n" + "\xff\xfe binary \x01\n" + with_unknown);
  auto records = Read();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], Record(20));
  EXPECT_EQ(records[1], Record(21));
  // A line cut before its end with a whole one glued on (no newline between them) is neither record.
  std::string cut = format_journal_line(Record(27));
  cut.resize(cut.find("\tend\n"));
  std::string second = format_journal_line(Record(28));
  second.pop_back();
  EXPECT_FALSE(parse_journal_line(cut + second).has_value());
  EXPECT_TRUE(parse_journal_line(second).has_value());
  // The minimal line: only the version, boot and id are required.
  auto minimal = parse_journal_line(std::string("DJ1\tboot=") + kBoot + "\tuid=7\tend");
  ASSERT_TRUE(minimal.has_value());
  EXPECT_EQ(minimal->unique_id, 7u);
  EXPECT_TRUE(minimal->target.empty());
}

TEST_F(JournalTest, OtherBootsAreSkipped) {
  ASSERT_TRUE(journal().append(Record(30, "/mine")));
  ASSERT_TRUE(journal().append(Record(31, "/theirs", 1700000000, kOtherBoot)));
  auto records = Read();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].target, "/mine");
  EXPECT_EQ(Read(kOtherBoot).size(), 1u);
  EXPECT_EQ(Read("").size(), 2u);  // empty: every boot
}

TEST_F(JournalTest, AppendRefusesARecordWithoutBootId) {
  auto st = journal().append(Record(32, "/x", 1, ""));
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().err, EINVAL);
}

// Given the same mount recorded twice (umount and findmnt --poll), we should keep the newest one; on equal
// times the later line.
TEST(NewestByUniqueId, LatestTimeWinsThenLaterLine) {
  std::vector<DetachRecord> records = {Record(40, "/old", 100), Record(41, "/a", 200),
                                       Record(40, "/new", 300), Record(40, "/older", 50),
                                       Record(41, "/b", 200),   Record(0, "/noid", 999)};
  auto newest = newest_by_unique_id(records);
  ASSERT_EQ(newest.size(), 2u);  // id 0 is never joined
  EXPECT_EQ(newest.at(40).target, "/new");
  EXPECT_EQ(newest.at(41).target, "/b");
}

// Given umount's record of a detach and, later, one of a watcher that never saw the mount attached (no
// place, no source, no pinners), we should keep the watcher's time and what it knows, and take the rest from
// umount's record; a field known by several comes from the newest that knows it, whatever the line order.
TEST(NewestByUniqueId, WhatTheNewestDoesNotKnowComesFromTheNewestThatKnowsIt) {
  DetachRecord by_umount = Record(50, "/srv/data", 100);
  by_umount.pinners = "1234 (sleep) cwd";
  by_umount.options = "rw,relatime";
  DetachRecord blind_watcher;
  blind_watcher.boot_id = kBoot;
  blind_watcher.unique_id = 50;
  blind_watcher.detached_at = 101;
  blind_watcher.fstype = "ext4";
  blind_watcher.recorded_by = "findmnt --poll";
  DetachRecord older_watcher = Record(50, "/srv/stale", 90);
  older_watcher.pinners = "99 (old) cwd";

  auto newest = newest_by_unique_id({blind_watcher, by_umount, older_watcher});
  ASSERT_EQ(newest.size(), 1u);
  const DetachRecord& r = newest.at(50);
  EXPECT_EQ(r.detached_at, 101);
  EXPECT_EQ(r.recorded_by, "findmnt --poll");
  EXPECT_EQ(r.fstype, "ext4");
  EXPECT_EQ(r.target, "/srv/data");
  EXPECT_EQ(r.source, "/dev/loop0");
  EXPECT_EQ(r.pinners, "1234 (sleep) cwd");
  EXPECT_EQ(r.options, "rw,relatime");
  EXPECT_EQ(r.ns_id, by_umount.ns_id);
  EXPECT_EQ(r.old_id, by_umount.old_id);
  EXPECT_EQ(r.dev, by_umount.dev);
}

// Given a journal past 1 MiB with records of two boots, the next append should rewrite it with only this
// boot's newest 4096 records (the appended one last), in order.
TEST_F(JournalTest, CompactionKeepsThisBootsNewest4096) {
  std::string bulk;
  std::uint64_t id = 1000;
  while (bulk.size() <= kJournalMaxBytes) {
    bool other = id % 3 == 0;
    bulk += format_journal_line(
        Record(id, "/m/" + std::to_string(id), static_cast<long long>(id), other ? kOtherBoot : kBoot));
    ++id;
  }
  WriteRaw(bulk);
  std::size_t before = CountLines(Contents());
  ASSERT_GT(before, kJournalKeepRecords * 3 / 2) << "records too long to reach the count bound";
  ASSERT_TRUE(journal().append(Record(id, "/last")));

  auto records = Read("");
  ASSERT_EQ(records.size(), kJournalKeepRecords);
  EXPECT_EQ(records.back(), Record(id, "/last"));
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].boot_id, kBoot) << i;
    if (i > 0) {
      EXPECT_LT(records[i - 1].unique_id, records[i].unique_id) << "order lost at " << i;
    }
  }
  // The kept ones are the newest: every id of this boot after the first one kept is there.
  std::size_t expected_this_boot = 0;
  for (std::uint64_t k = records.front().unique_id; k < id; ++k) expected_this_boot += (k % 3 != 0);
  EXPECT_EQ(expected_this_boot + 1, kJournalKeepRecords);
  EXPECT_LT(Contents().size(), kJournalMaxBytes);
  EXPECT_EQ(DirEntries(), std::vector<std::string>{"journal"}) << "the rewrite left its temp file";
}

// Given long records, the rewrite should also stay under its byte bound, so the next appends do not each
// rewrite the file again.
TEST_F(JournalTest, CompactionOfLongRecordsLeavesRoomForAppends) {
  std::string bulk;
  std::uint64_t id = 1;
  while (bulk.size() <= kJournalMaxBytes)
    bulk += format_journal_line(Record(id++, "/" + std::string(2000, 'l')));
  WriteRaw(bulk);
  ASSERT_TRUE(journal().append(Record(id, "/last")));
  std::string text = Contents();
  EXPECT_LE(text.size(), kJournalKeepBytes);
  auto records = Read();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().target, "/last");
  EXPECT_EQ(records[records.size() - 2].unique_id, id - 1);
  struct stat first {};
  ASSERT_EQ(::stat(journal().path().c_str(), &first), 0);
  ASSERT_TRUE(journal().append(Record(id + 1)));
  struct stat second {};
  ASSERT_EQ(::stat(journal().path().c_str(), &second), 0);
  EXPECT_EQ(first.st_ino, second.st_ino) << "a plain append under the bound must not rewrite the file";
  EXPECT_EQ(Read().size(), records.size() + 1);
}

// Given a symlink where the journal file should be (the dir is root's; a planted link must not redirect
// root's writes), we should refuse to append or read through it and leave its target untouched.
TEST_F(JournalTest, SymlinkedJournalFileIsRefused) {
  ASSERT_EQ(::mkdir(dir().c_str(), 0755), 0);
  std::string victim = root_ + "/victim";
  { std::ofstream(victim) << "precious\n"; }
  ASSERT_EQ(::symlink(victim.c_str(), journal().path().c_str()), 0);
  auto st = journal().append(Record(50));
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().err, ELOOP) << st.error().message();
  auto records = journal().read(kBoot);
  ASSERT_FALSE(records.has_value());
  EXPECT_EQ(records.error().err, ELOOP);
  std::ifstream in(victim);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "precious");
}

TEST_F(JournalTest, NonRegularJournalFileIsRefused) {
  ASSERT_EQ(::mkdir(dir().c_str(), 0755), 0);
  ASSERT_EQ(::mkfifo(journal().path().c_str(), 0644), 0);
  EXPECT_FALSE(journal().read(kBoot).has_value());
  EXPECT_FALSE(journal().append(Record(51)).has_value());
}

// Forks WRITERS children that each append PER_WRITER records with long targets (well over PIPE_BUF, so
// unlocked writes could interleave) and waits for them; true when every child succeeded.
bool AppendFromChildren(const DetachJournal& journal, int writers, int per_writer, std::size_t target_size) {
  std::vector<pid_t> children;
  for (int w = 0; w < writers; ++w) {
    pid_t pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
      for (int i = 0; i < per_writer; ++i) {
        std::string target =
            "/w" + std::to_string(w) + "/" + std::string(target_size, static_cast<char>('a' + w));
        if (!journal.append(Record(static_cast<std::uint64_t>(w) * 100000 + static_cast<std::uint64_t>(i) + 1,
                                   target, i)))
          ::_exit(1);
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  bool ok = true;
  for (pid_t pid : children) {
    int status = 0;
    ok = ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 && ok;
  }
  return ok;
}

TEST_F(JournalTest, ConcurrentAppendsGiveOnlyWholeLines) {
  constexpr int kWriters = 8, kPerWriter = 100;
  ASSERT_TRUE(AppendFromChildren(journal(), kWriters, kPerWriter, 1000));
  std::string text = Contents();
  ASSERT_LT(text.size(), kJournalMaxBytes) << "this test must stay under the compaction bound";
  EXPECT_EQ(CountLines(text), static_cast<std::size_t>(kWriters * kPerWriter));
  auto records = Read();
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kWriters * kPerWriter));
  std::map<int, int> per_writer;
  std::map<int, std::uint64_t> last_id;
  for (const DetachRecord& r : records) {
    int w = static_cast<int>(r.unique_id / 100000);
    ++per_writer[w];
    EXPECT_GT(r.unique_id, last_id[w]) << "a writer's records out of order";
    last_id[w] = r.unique_id;
    EXPECT_EQ(r.target, "/w" + std::to_string(w) + "/" + std::string(1000, static_cast<char>('a' + w)));
  }
  for (int w = 0; w < kWriters; ++w) EXPECT_EQ(per_writer[w], kPerWriter) << "writer " << w;
}

// Given concurrent writers that cross the compaction bound (rewrites renamed over the file others wait on),
// every line should still be whole, no append should be lost to a replaced file, and the file stay bounded.
TEST_F(JournalTest, ConcurrentAppendsAcrossCompactionStayWholeAndBounded) {
  constexpr int kWriters = 6, kPerWriter = 150;
  ASSERT_TRUE(AppendFromChildren(journal(), kWriters, kPerWriter, 2000));
  std::string text = Contents();
  EXPECT_LE(text.size(), kJournalMaxBytes + 8192);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::size_t lines = CountLines(text);
  auto records = Read();
  EXPECT_EQ(records.size(), lines) << "every line in the file is a whole record";
  // Rewrites keep a suffix of the order of appends, so each writer still present must have its records
  // without a gap, up to its last one: a gap would be an append lost to a file renamed away under it.
  std::map<int, std::vector<std::uint64_t>> ids;
  for (const DetachRecord& r : records) ids[static_cast<int>(r.unique_id / 100000)].push_back(r.unique_id);
  ASSERT_FALSE(ids.empty());
  for (const auto& [w, list] : ids) {
    EXPECT_EQ(list.back(), static_cast<std::uint64_t>(w) * 100000 + kPerWriter) << "writer " << w;
    for (std::size_t i = 1; i < list.size(); ++i)
      EXPECT_EQ(list[i], list[i - 1] + 1) << "writer " << w << " lost a record after " << list[i - 1];
  }
  EXPECT_EQ(DirEntries(), std::vector<std::string>{"journal"}) << "a rewrite left its temp file";
}

TEST(CurrentBootId, ReadsAndChompsTheKernelsBootId) {
  auto id = current_boot_id();
  ASSERT_TRUE(id.has_value()) << id.error().message();
  EXPECT_EQ(id->size(), 36u);
  EXPECT_EQ(id->find('\n'), std::string::npos);
  EXPECT_FALSE(current_boot_id("/nonexistent-proc").has_value());
}

TEST(RecordOf, TakesTheMountsIdentityAndPlace) {
  Mount m;
  m.key = 2147483700;
  m.unique_id = 2147483700;
  m.old_id = 612;
  m.ns_id = 4294967300;
  m.dev = DeviceNumber{7, 3};
  m.target = "/mnt/data";
  m.source = "/dev/loop3";
  m.fstype = "xfs";
  m.vfs_options = "rw,relatime";
  m.fs_options = "rw,inode64,logdev=/dev/loop4,noquota";
  DetachRecord r = record_of(m, 1700000123, "umount", kBoot);
  EXPECT_EQ(r.unique_id, 2147483700u);
  EXPECT_EQ(r.old_id, 612u);
  EXPECT_EQ(r.ns_id, 4294967300u);
  EXPECT_EQ(r.dev, (DeviceNumber{7, 3}));
  EXPECT_EQ(r.detached_at, 1700000123);
  EXPECT_EQ(r.target, "/mnt/data");
  EXPECT_EQ(r.source, "/dev/loop3");
  EXPECT_EQ(r.fstype, "xfs");
  EXPECT_EQ(r.options, "rw,relatime,inode64,logdev=/dev/loop4,noquota");  // as libmount merges them
  EXPECT_EQ(r.recorded_by, "umount");
  EXPECT_EQ(r.boot_id, kBoot);
  EXPECT_FALSE(r.unmounted);
}

// An overlay's layers are superblock options: the record keeps them beside the per-mount ones, as libmount
// merges the two (the watcher records a detach so).
TEST(RecordOf, KeepsTheSuperblockOptionsAnOverlaysLayersAreIn) {
  Mount m;
  m.unique_id = 2147483701;
  m.fstype = "overlay";
  m.vfs_options = "rw,relatime";
  m.fs_options = "rw,lowerdir=/m/l1:/m/a\\134:b,upperdir=/m/u,workdir=/m/w,uuid=on";
  DetachRecord r = record_of(m, 1700000124, "findmnt --poll", kBoot);
  EXPECT_EQ(r.options, "rw,relatime,lowerdir=/m/l1:/m/a\\134:b,upperdir=/m/u,workdir=/m/w,uuid=on");
}

// A plain umount that its filesystem outlived is told apart from a lazy detach ("what=unmount"), and a line
// without the field (every older one) is a detach.
TEST_F(JournalTest, APlainUmountRecordSaysSoAndRoundTrips) {
  DetachRecord unmounted = Record(2147483655, "/mnt/layers");
  unmounted.unmounted = true;
  DetachRecord detached = Record(2147483656, "/mnt/data");
  ASSERT_TRUE(journal().append(unmounted));
  ASSERT_TRUE(journal().append(detached));
  EXPECT_EQ(Read(), (std::vector<DetachRecord>{unmounted, detached}));
  EXPECT_NE(Contents().find("\twhat=unmount\tend\n"), std::string::npos) << Contents();
  EXPECT_EQ(CountLines(Contents()), 2u);
}

}  // namespace
}  // namespace detach

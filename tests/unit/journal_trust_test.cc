// SPDX-License-Identifier: GPL-2.0-or-later
// The journal's trust rules: root's tools read and write only a journal that nobody but root could have
// written (journal.h). A forged line from another user must never show in root's `findmnt --detached`.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fixture_tree.h"
#include "journal/journal.h"

namespace detach {
namespace {

constexpr const char* kBoot = "0d2b5b0c-1111-4c4c-8a8a-000000000001";
constexpr uid_t kNobody = 65534;

// chown needs root; under CI=true a test that needs it may not skip.
#define REQUIRE_ROOT_FOR_CHOWN()                                                        \
  do {                                                                                  \
    if (::geteuid() != 0) {                                                             \
      const char* ci = std::getenv("CI");                                               \
      if (ci != nullptr && std::string(ci) == "true") FAIL() << "needs root (CI=true)"; \
      GTEST_SKIP() << "needs root to give files to another user";                       \
    }                                                                                   \
  } while (0)

DetachRecord Record(std::uint64_t id, std::string target) {
  DetachRecord r;
  r.boot_id = kBoot;
  r.unique_id = id;
  r.dev = DeviceNumber{7, 1};
  r.detached_at = 1700000000;
  r.target = std::move(target);
  r.recorded_by = "umount";
  return r;
}

class JournalTrustTest : public ::testing::Test {
 protected:
  std::string dir() const { return root_ + "/j"; }
  DetachJournal journal() const { return DetachJournal(dir()); }
  // A journal with one forged line, as its owner (or a writable mode) could have planted it.
  void Plant(const std::string& target) const {
    ASSERT_EQ(::mkdir(dir().c_str(), 0755), 0);
    std::ofstream(journal().path()) << format_journal_line(Record(99, target));
  }
  std::string Contents() const {
    std::ifstream in(journal().path());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // Neither read nor written: both fail with ERR and the file keeps its one forged line.
  void ExpectRefused(int err) const {
    const std::string before = Contents();
    auto records = journal().read(kBoot);
    ASSERT_FALSE(records.has_value()) << "read " << records->size() << " records from an untrusted journal";
    EXPECT_EQ(records.error().err, err) << records.error().message();
    auto st = journal().append(Record(100, "/mine"));
    ASSERT_FALSE(st.has_value()) << "appended to an untrusted journal";
    EXPECT_EQ(st.error().err, err) << st.error().message();
    EXPECT_EQ(Contents(), before);
  }
  testing::FixtureTree tree_;  // a fresh directory under /tmp, removed with everything in it
  const std::string& root_ = tree_.root();
};

// Given a journal file that nobody owns, with a forged line in it, we should neither read nor write it.
TEST_F(JournalTrustTest, JournalFileOwnedByNobodyIsNeitherReadNorWritten) {
  REQUIRE_ROOT_FOR_CHOWN();
  Plant("/forged/by/nobody");
  ASSERT_EQ(::chown(journal().path().c_str(), kNobody, kNobody), 0);
  ExpectRefused(EPERM);
}

// Given a journal directory that nobody owns (nobody could swap the file), the same.
TEST_F(JournalTrustTest, JournalDirectoryOwnedByNobodyIsNeitherReadNorWritten) {
  REQUIRE_ROOT_FOR_CHOWN();
  Plant("/forged/in/nobodys/dir");
  ASSERT_EQ(::chown(dir().c_str(), kNobody, kNobody), 0);
  ExpectRefused(EPERM);
}

// Given a directory above the journal that nobody owns, the same: they could rename the journal's away.
TEST_F(JournalTrustTest, AncestorOwnedByNobodyIsNotTrusted) {
  REQUIRE_ROOT_FOR_CHOWN();
  Plant("/forged/above");
  ASSERT_EQ(::chown(root_.c_str(), kNobody, kNobody), 0);
  ExpectRefused(EPERM);
}

TEST_F(JournalTrustTest, GroupWritableJournalFileIsNeitherReadNorWritten) {
  Plant("/forged/by/group");
  ASSERT_EQ(::chmod(journal().path().c_str(), 0664), 0);
  ExpectRefused(EPERM);
}

TEST_F(JournalTrustTest, OtherWritableJournalDirectoryIsNeitherReadNorWritten) {
  Plant("/forged/in/open/dir");
  ASSERT_EQ(::chmod(dir().c_str(), 0757), 0);
  ExpectRefused(EPERM);
}

// The journal's own directory gets no sticky exception: sticky or not, others could add a file to it.
TEST_F(JournalTrustTest, StickyWorldWritableJournalDirectoryIsNotTrusted) {
  Plant("/forged/in/sticky/dir");
  ASSERT_EQ(::chmod(dir().c_str(), 01777), 0);
  ExpectRefused(EPERM);
}

// Given an ancestor that is world-writable but sticky (like /tmp, which this test's own directory is in), we
// should trust the journal below it.
TEST_F(JournalTrustTest, StickyAncestorIsTrusted) {
  ASSERT_EQ(::chmod(root_.c_str(), 01777), 0);
  ASSERT_TRUE(journal().append(Record(1, "/ok"))) << "append below a sticky directory";
  auto records = journal().read(kBoot);
  ASSERT_TRUE(records.has_value()) << records.error().message();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].target, "/ok");
}

// Given a non-sticky world-writable ancestor, we should not trust anything below it.
TEST_F(JournalTrustTest, WorldWritableAncestorIsNotTrusted) {
  Plant("/forged/below/open/dir");
  ASSERT_EQ(::chmod(root_.c_str(), 0777), 0);
  ExpectRefused(EPERM);
}

// Given a symlink as the journal's directory, pointing at a directory with a forged journal, we should not
// follow it, to read or to write.
TEST_F(JournalTrustTest, SymlinkedJournalDirectoryIsNotFollowed) {
  const std::string real = root_ + "/real";
  ASSERT_EQ(::mkdir(real.c_str(), 0755), 0);
  std::ofstream(real + "/journal") << format_journal_line(Record(98, "/through/a/link"));
  ASSERT_EQ(::symlink(real.c_str(), dir().c_str()), 0);
  auto records = journal().read(kBoot);
  ASSERT_FALSE(records.has_value());
  EXPECT_EQ(records.error().err, ELOOP) << records.error().message();
  auto st = journal().append(Record(100, "/mine"));
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().err, ELOOP) << st.error().message();
}

// Given a symlink higher up the path, the same: no link is followed at any level.
TEST_F(JournalTrustTest, SymlinkedAncestorIsNotFollowed) {
  const std::string real = root_ + "/real";
  ASSERT_EQ(::mkdir(real.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((real + "/j").c_str(), 0755), 0);
  std::ofstream(real + "/j/journal") << format_journal_line(Record(97, "/through/a/higher/link"));
  ASSERT_EQ(::symlink(real.c_str(), (root_ + "/link").c_str()), 0);
  DetachJournal through(root_ + "/link/j");
  auto records = through.read(kBoot);
  ASSERT_FALSE(records.has_value());
  EXPECT_EQ(records.error().err, ELOOP) << records.error().message();
  EXPECT_FALSE(through.append(Record(100, "/mine")).has_value());
}

// Given the fields umount adds (options, pinners) with bytes that need escaping, we should read them back.
TEST_F(JournalTrustTest, OptionsAndPinnersRoundTrip) {
  DetachRecord r = Record(5, "/mnt/x");
  r.options = "rw,relatime,errors=continue";
  r.pinners = "1234 (sl eep\t) cwd, 1240 (bash) fd 7 (write)\n";
  ASSERT_TRUE(journal().append(r));
  auto records = journal().read(kBoot);
  ASSERT_TRUE(records.has_value()) << records.error().message();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0], r);
}

// Given a record without them, its line should read as before those fields existed.
TEST(JournalLine, EmptyNewFieldsAreLeftOut) {
  std::string line = format_journal_line(Record(6, "/mnt/y"));
  EXPECT_EQ(line.find("options="), std::string::npos);
  EXPECT_EQ(line.find("pinners="), std::string::npos);
  EXPECT_TRUE(line.ends_with("\ttarget=/mnt/y\tend\n")) << line;
}

}  // namespace
}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// The watcher (findmnt --detached --poll, which detach-journal.service runs from boot) records every lazy
// detach in the journal. When a write fails (here: /run full), the record waits and is written once the
// journal takes writes again, and so are the detaches after it: one failed write no longer stops recording
// for good. No record is written twice, and no torn line is left behind.
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <list>

#include "harness.h"
#include "journal/journal.h"

namespace itest {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class WatcherWithAFullJournal : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT");
    EnterPrivateMountNamespace();
    // The journal's directory on a tmpfs of its own, small enough to fill.
    RunOrThrow({"mkdir", "-p", detach::kDefaultJournalDir});
    RunOrThrow({"mount", "-t", "tmpfs", "-o", "size=16k,mode=0755", "journal", detach::kDefaultJournalDir});
    out_ = dir_.path() + "/poll.out";
    watcher_.emplace(ChildProcess::Spawn([this](const ReadyPipe& ready) {
      OpenAsFdOrFail(ready, out_, O_WRONLY | O_CREAT | O_TRUNC, 1);
      OpenAsFdOrFail(ready, "/dev/null", O_RDONLY, 0);
      OpenAsFdOrFail(ready, out_ + ".err", O_WRONLY | O_CREAT | O_TRUNC, 2);
      const std::string findmnt = Findmnt();
      execl(findmnt.c_str(), "findmnt", "--detached", "--poll", "-r", "-n", "-o", "ACTION,UNIQ-ID",
            static_cast<char*>(nullptr));
      ready.Fail("exec " + findmnt);
    }));
  }

  // Fills the journal's tmpfs to the last byte.
  void Fill() const {
    const std::string filler = std::string(detach::kDefaultJournalDir) + "/filler";
    const int fd = open(filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    const std::string block(4096, 'x');
    while (write(fd, block.data(), block.size()) > 0) {
    }
    for (char c = 'x'; write(fd, &c, 1) == 1;) {
    }
    EXPECT_EQ(errno, ENOSPC);
    close(fd);
  }

  void Unfill() const { ASSERT_EQ(unlink((std::string(detach::kDefaultJournalDir) + "/filler").c_str()), 0); }

  // A pinned filesystem, lazily unmounted; returns once the watcher has reported its detach.
  std::uint64_t DetachOne(const std::string& name) {
    fs_.emplace_back("ext2", 16, true, name);
    LoopFs& fs = fs_.back();
    pinners_.push_back(SpawnSleepWithCwd(fs.mountpoint()));
    const std::uint64_t id = fs.mount().unique_id();
    fs.mount().Detach();
    const std::string row = "detach " + std::to_string(id) + "\n";
    EXPECT_TRUE(WaitUntil([&] { return ReadFile(out_).find(row) != std::string::npos; }, 30s))
        << "watcher output:\n"
        << ReadFile(out_) << ReadFile(out_ + ".err");
    return id;
  }

  // How many records of mount ID the journal holds.
  static std::size_t RecordsOf(std::uint64_t id) {
    auto records = detach::DetachJournal().read({});
    if (!records) return 0;
    return std::count_if(records->begin(), records->end(),
                         [id](const detach::DetachRecord& r) { return r.unique_id == id; });
  }

  TempDir dir_;
  std::string out_;
  std::optional<ChildProcess> watcher_;
  std::list<LoopFs> fs_;  // unmounted after the pinners end
  std::vector<ChildProcess> pinners_;
};

// Given a watcher, a detach made while /run is full is recorded once there is room again (after a retry,
// with no further event), the next detach too, each once; the journal holds whole lines only.
TEST_F(WatcherWithAFullJournal, ADetachWhileFullIsRecordedOnceThereIsRoomAgain) {
  // Watching: its fanotify group is open (this kernel has mount events).
  ASSERT_TRUE(WaitUntil([&] { return HoldsFanotify(watcher_->pid()); }, 10s))
      << "the watcher opened no fanotify group";
  Fill();
  const std::uint64_t first = DetachOne("first");
  ASSERT_TRUE(
      WaitUntil([&] { return ReadFile(out_ + ".err").find("are not recorded") != std::string::npos; }, 10s))
      << ReadFile(out_ + ".err");
  EXPECT_THAT(ReadFile(out_ + ".err"),
              HasSubstr("findmnt: warning: detaches are not recorded in the journal: "));
  EXPECT_THAT(ReadFile(out_ + ".err"), HasSubstr("(they are kept, and written once it works again)\n"));
  EXPECT_EQ(RecordsOf(first), 0u);

  Unfill();
  EXPECT_TRUE(WaitUntil([&] { return RecordsOf(first) == 1; }, 10s)) << ReadFile(out_ + ".err");
  EXPECT_THAT(ReadFile(out_ + ".err"), HasSubstr("findmnt: detaches are recorded in the journal again\n"));
  const std::uint64_t second = DetachOne("second");
  EXPECT_TRUE(WaitUntil([&] { return RecordsOf(second) == 1; }, 10s)) << ReadFile(out_ + ".err");
  EXPECT_EQ(RecordsOf(first), 1u);

  // Whole lines only: as many lines as records (scenarios beside this one may have detaches of their own
  // recorded too), the last one ended.
  const std::string journal = ReadFile(std::string(detach::kDefaultJournalDir) + "/journal");
  auto records = detach::DetachJournal().read({});
  ASSERT_TRUE(records.has_value());
  EXPECT_EQ(static_cast<std::size_t>(std::count(journal.begin(), journal.end(), '\n')), records->size())
      << journal;
  ASSERT_FALSE(journal.empty());
  EXPECT_EQ(journal.back(), '\n');
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// Pinners, not pins, on real processes: processes holding many fds of a lazily detached fs, with gaps and
// mixed access modes, a thread with its own cwd, and many processes at once. Every view names each pinner
// once, with its fds as ranges.
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include <thread>

#include "harness.h"

namespace itest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Opens FILE as fds FIRST..LAST with FLAGS (each one its own open file), leaving GAP unopened when in range.
void OpenRange(const ReadyPipe& ready, const std::string& file, int flags, int first, int last,
               int gap = -1) {
  for (int fd = first; fd <= last; ++fd)
    if (fd != gap) OpenAsFdOrFail(ready, file, flags, fd);
}

// A process with its cwd in the fs, fds 10-209 and 211 open for read (210 left out), 212 for write, and a
// file of the fs mapped (its fd closed).
ChildProcess SpawnManyFds(const LoopFs& fs) {
  WriteFile(fs.File("data"), std::string(8192, 'd'));
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    SetCommOrFail(ready, "pin-many");
    OpenRange(ready, fs.File("data"), O_RDONLY, 10, 211, 210);
    OpenAsFdOrFail(ready, fs.File("data"), O_WRONLY, 212);
    const int fd = open(fs.File("data").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || mmap(nullptr, 8192, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED) ready.Fail("mmap");
    close(fd);
    ChdirOrFail(ready, fs.mountpoint());
    ready.Signal();
    PauseForever();
  });
}

// A process whose second thread has its own fs_struct (unshare(CLONE_FS)) and its cwd in the fs, while the
// process itself holds fd 20 of the fs. Reports the thread's tid.
ChildProcess SpawnThreadPinner(const LoopFs& fs) {
  WriteFile(fs.File("t"), "t\n");
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    SetCommOrFail(ready, "pin-thread");
    OpenAsFdOrFail(ready, fs.File("t"), O_RDONLY, 20);
    std::thread pinner([&] {
      if (unshare(CLONE_FS) != 0) ready.Fail("unshare(CLONE_FS)");
      ChdirOrFail(ready, fs.mountpoint());
      ready.Signal(gettid());
      PauseForever();
    });
    PauseForever();
  });
}

class PinnerView : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD");
    fs_.emplace();
    many_.emplace(SpawnManyFds(*fs_));
    thread_.emplace(SpawnThreadPinner(*fs_));
    fs_->mount().Detach();
  }

  std::string ManyHow() const { return "cwd, fd 10-209,211 (read), fd 212 (write), mmap /data"; }
  std::string Tid() const { return std::to_string(thread_->ready_value()); }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> many_;
  std::optional<ChildProcess> thread_;
};

// Given one process with 202 fds (a gap, two access modes), its cwd and a mapping, and a thread with its own
// cwd, we should see three pinners in the list: the process once, summarised; the other process; its thread.
TEST_F(PinnerView, EachPinnerOnceWithItsFdsAsRanges) {
  const DetachedListing listing = ListDetached();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  const std::string thread_pid = std::to_string(thread_->pid());
  EXPECT_THAT(PinnerEntries(rows[0]), ElementsAre(PinEntry(many_->pid(), "pin-many", ManyHow()),
                                                  PinEntry(thread_->pid(), "pin-thread", "fd 20 (read)"),
                                                  thread_pid + "/" + Tid() + " (pin-thread) cwd"))
      << listing.run.Describe();
}

// Given the same, the tree gives each pinner one row under the mount, the thread's saying it is one.
TEST_F(PinnerView, TreeHasOneRowPerPinner) {
  const RunResult tree = RunCommand(
      {Findmnt(), "--detached", "-S", fs_->device(), "--tree", "-n", "-o", "SOURCE,PID,COMMAND,HOW"});
  ASSERT_EQ(tree.exit_code, 0) << tree.Describe();
  EXPECT_THAT(tree.out, HasSubstr(std::to_string(many_->pid()) + " pin-many   " + ManyHow() + "\n"))
      << tree.Describe();
  EXPECT_THAT(tree.out, HasSubstr(std::to_string(thread_->pid()) + " pin-thread thread " + Tid() + ": cwd\n"))
      << tree.Describe();
  std::size_t rows = 0;
  for (char c : tree.out) rows += c == '\n';
  EXPECT_EQ(rows, 5u) << "filesystem, mount and three pinners: " << tree.Describe();
}

// Given the same, -J gives each pinner its pins as data: fd ranges per access mode, the mapping's path.
TEST_F(PinnerView, JsonGivesThePinsAsData) {
  const RunResult run =
      RunCommand({Findmnt(), "--detached", "-J", "-l", "-S", fs_->device(), "-o", "SOURCE,PID"});
  const std::optional<nlohmann::json> doc = ParseJson(run.out);
  ASSERT_TRUE(doc.has_value()) << run.Describe();
  const nlohmann::json& pinners = (*doc)["filesystems"][0]["pinners"];
  ASSERT_EQ(pinners.size(), 3u) << run.out;
  const nlohmann::json& many = pinners[0];
  EXPECT_EQ(Number(many, "pid"), many_->pid());
  EXPECT_EQ(many["pins"], nlohmann::json::parse(R"([
      {"kind": "cwd", "path": "/"},
      {"kind": "fd", "fds": [[10, 209], [211, 211]], "access": "read", "path": null},
      {"kind": "fd", "fds": [[212, 212]], "access": "write", "path": null},
      {"kind": "mmap", "path": "/data"}])"))
      << many.dump(2);
  EXPECT_EQ(Text(pinners[2], "kind"), "thread");
  EXPECT_EQ(Number(pinners[2], "tid"), thread_->ready_value());
}

// Given the same, --per-pin gives one row per pin: 202 fd rows of the process among them.
TEST_F(PinnerView, PerPinGivesARowPerPin) {
  const RunResult run =
      RunCommand({Findmnt(), "--detached", "--per-pin", "-l", "-n", "-S", fs_->device(), "-o", "PID,HOW"});
  ASSERT_EQ(run.exit_code, 0) << run.Describe();
  std::size_t fd_rows = 0;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);)
    if (line.find(std::to_string(many_->pid()) + " fd ") != std::string::npos) ++fd_rows;
  EXPECT_EQ(fd_rows, 202u) << run.Describe();
  EXPECT_THAT(run.out, HasSubstr(std::to_string(many_->pid()) + " fd 212 (write) /data\n")) << run.Describe();
}

// Given the same, mkfs-guard names each pinner once on its first line.
TEST_F(PinnerView, MkfsGuardNamesEveryPinnerOnce) {
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out),
              HasSubstr("pinned by 2 processes: " + PinEntry(many_->pid(), "pin-many", ManyHow())))
      << guard.Describe();
}

// Given 40 processes with 100 fds each on the detached fs, we should see 40 pinner rows, and mkfs-guard
// naming five of them and counting the rest.
TEST(ManyPinners, FortyProcessesAreFortyRows) {
  ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD");
  LoopFs fs;
  WriteFile(fs.File("f"), "f\n");
  std::vector<ChildProcess> holders;
  holders.reserve(40);
  for (int i = 0; i < 40; ++i)
    holders.push_back(ChildProcess::Spawn([&](const ReadyPipe& ready) {
      OpenRange(ready, fs.File("f"), O_RDONLY, 10, 109);
      ExecSleep(ready);
    }));
  for (const ChildProcess& h : holders) WaitForComm(h.pid(), "sleep");
  fs.mount().Detach();
  const RunResult list =
      RunCommand({Findmnt(), "--detached", "-l", "-n", "-S", fs.device(), "-o", "PID,HOW"});
  ASSERT_EQ(list.exit_code, 0) << list.Describe();
  std::size_t rows = 0;
  std::istringstream lines(list.out);
  for (std::string line; std::getline(lines, line);) {
    ++rows;
    EXPECT_THAT(line, ::testing::EndsWith(" fd 10-109 (read)")) << list.Describe();
  }
  EXPECT_EQ(rows, 40u) << list.Describe();
  const RunResult guard = RunCommand({MkfsGuard(), fs.device()});
  EXPECT_THAT(FirstLine(guard.out), HasSubstr("pinned by 40 processes: ")) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out), HasSubstr(" and 35 more (findmnt --detached lists them all)"))
      << guard.Describe();
}

}  // namespace
}  // namespace itest

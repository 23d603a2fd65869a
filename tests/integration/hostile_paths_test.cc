// SPDX-License-Identifier: GPL-2.0-or-later
// Hostile names: a mount point, a directory and a file with spaces, a newline and bytes that are not UTF-8,
// and a pinner whose command name has them too. Output must stay parseable and one reason per line.
#include <fcntl.h>
#include <sys/stat.h>

#include "harness.h"

namespace itest {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kMountName = "mnt with space\nnewline \xff\xfe end";
const std::string kMountNameUtf8Prefix = "mnt with space\nnewline ";  // up to the first non-UTF-8 byte
const std::string kDirName = "dir \n\xc3\x28";
const std::string kFileName = "file name\n\xff";
const std::string kComm = "bad \xff\nname";

// A fork of this binary with a hostile command name and its cwd in `dir`.
ChildProcess SpawnHostileComm(const std::string& dir) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    ChdirOrFail(ready, dir);
    SetCommOrFail(ready, kComm);
    ready.Signal();
    PauseForever();
  });
}

class HostilePaths : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD");
    fs_.emplace("ext2", 64, true, kMountName);
    const std::string dir = fs_->File(kDirName);
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    cwd_pinner_.emplace(SpawnSleepWithCwd(dir));
    fd_pinner_.emplace(SpawnSleepWithFd(dir + "/" + kFileName, O_WRONLY | O_CREAT, 7));
    comm_pinner_.emplace(SpawnHostileComm(dir));
  }

  // The two plain entries, in pid order (the hostile one is checked apart).
  std::vector<std::string> PlainEntries() const {
    return {PinEntry(cwd_pinner_->pid(), "sleep", "cwd"),
            PinEntry(fd_pinner_->pid(), "sleep", "fd 7 (write)")};
  }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> cwd_pinner_;
  std::optional<ChildProcess> fd_pinner_;
  std::optional<ChildProcess> comm_pinner_;
};

// Given a lazily detached fs with hostile names pinned by three processes, we should get valid JSON from
// findmnt --detached -J with each pin right.
TEST_F(HostilePaths, DetachedMountIsListedAsValidJsonWithEveryPin) {
  fs_->mount().Detach();
  const DetachedListing listing = ListDetached();
  ASSERT_TRUE(listing.doc.has_value()) << listing.run.Describe();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  const std::vector<std::string> entries = PinnerEntries(rows[0]);
  ASSERT_EQ(entries.size(), 3u) << PinnersOf(rows[0]);
  EXPECT_EQ(entries[0], PlainEntries()[0]);
  EXPECT_EQ(entries[1], PlainEntries()[1]);
  EXPECT_THAT(entries[2], StartsWith(std::to_string(comm_pinner_->pid()) + " ("));
  EXPECT_THAT(entries[2], EndsWith(") cwd"));
}

// Given the same, we should hear from mkfs-guard on one first line who pins it, the hostile command name
// escaped rather than breaking the line.
TEST_F(HostilePaths, MkfsGuardKeepsTheDetachedReasonOnOneLine) {
  fs_->mount().Detach();
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::string line = FirstLine(guard.out);
  EXPECT_THAT(line,
              StartsWith(DetachedBusyLine(fs_->device(), "ext2", {PlainEntries()[0], PlainEntries()[1], ""})))
      << guard.Describe();
  EXPECT_THAT(line, HasSubstr(std::to_string(comm_pinner_->pid()) + " (")) << guard.Describe();
  EXPECT_THAT(line, EndsWith(") cwd")) << guard.Describe();
}

// Given the same, we should get valid JSON from mkfs-guard -J whose detached-mount reason names the three
// pinners.
TEST_F(HostilePaths, MkfsGuardJsonParsesAndNamesEveryPinner) {
  fs_->mount().Detach();
  const RunResult guard = RunCommand({MkfsGuard(), "-J", fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::optional<nlohmann::json> doc = ParseJson(guard.out);
  ASSERT_TRUE(doc.has_value());
  std::vector<std::int64_t> pids;
  for (const nlohmann::json& reason : Reasons(*doc)) {
    if (Text(reason, "kind") != "detached-mount") continue;
    for (const nlohmann::json& pinner : Pinners(reason)) pids.push_back(Number(pinner, "pid"));
  }
  EXPECT_THAT(pids,
              ::testing::UnorderedElementsAre(cwd_pinner_->pid(), fd_pinner_->pid(), comm_pinner_->pid()))
      << doc->dump(2);
}

// Given the fs still attached at the hostile mount point, we should hear from mkfs-guard "mounted at" it on
// one line (the newline escaped), and get its path back from -J as far as JSON can carry it.
TEST_F(HostilePaths, MkfsGuardNamesTheHostileMountPoint) {
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::string line = FirstLine(guard.out);
  EXPECT_THAT(
      line, StartsWith(fs_->device() + " is busy: it is mounted at " + fs_->dir().path() + "/mnt with space"))
      << guard.Describe();
  EXPECT_THAT(line, HasSubstr("newline")) << "the newline in the path broke the line\n" << guard.Describe();

  const RunResult json = RunCommand({MkfsGuard(), "-J", fs_->device()});
  const std::optional<nlohmann::json> doc = ParseJson(json.out);
  ASSERT_TRUE(doc.has_value());
  bool found = false;
  for (const nlohmann::json& reason : Reasons(*doc)) {
    const std::string target = Text(reason, "target");
    found = found || target.rfind(fs_->dir().path() + "/" + kMountNameUtf8Prefix, 0) == 0;
  }
  EXPECT_TRUE(found) << "no reason with target " << fs_->dir().path() << "/" << kMountNameUtf8Prefix
                     << "...\n"
                     << doc->dump(2);
}

}  // namespace
}  // namespace itest

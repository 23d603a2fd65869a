// SPDX-License-Identifier: GPL-2.0-or-later
// The seed scenario of issue 3, exactly: an ext2 fs on a loop device, a `sleep` with its cwd in it, another
// holding fd 7 open for write on a file in it, `umount --lazy`; then mkfs says "apparently in use" and only
// our tools can say why.
#include <fcntl.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class LazyUmountSeed : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD");
    fs_.emplace();
    cwd_pinner_.emplace(SpawnSleepWithCwd(fs_->mountpoint()));
    fd_pinner_.emplace(SpawnSleepWithFd(fs_->File("file"), O_WRONLY | O_CREAT, 7));
    fs_->mount().Detach();
  }

  // {"1234 (sleep) cwd", "1240 (sleep) fd 7 (write)"}, in pid order as the tools print them.
  std::vector<std::string> ExpectedEntries() const {
    std::string cwd = PinEntry(cwd_pinner_->pid(), "sleep", "cwd");
    std::string fd = PinEntry(fd_pinner_->pid(), "sleep", "fd 7 (write)");
    return cwd_pinner_->pid() < fd_pinner_->pid() ? std::vector{cwd, fd} : std::vector{fd, cwd};
  }
  std::string ExpectedPinners() const { return JoinPins(ExpectedEntries()); }

  void EndPinnersAndWaitForDevice() {
    cwd_pinner_.reset();
    fd_pinner_.reset();
    ASSERT_TRUE(WaitUntil([&] { return DeviceIsFree(fs_->device()); }, 10s))
        << fs_->device() << " still held 10 s after its pinners ended";
  }

  // Declared before the pinners: destroyed after them.
  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> cwd_pinner_;
  std::optional<ChildProcess> fd_pinner_;
};

// Given a lazily unmounted ext2 fs still pinned, we should see mkfs refuse the device with "apparently in
// use".
TEST_F(LazyUmountSeed, MkfsRefusesTheDeviceAsApparentlyInUse) {
  const RunResult mkfs = RunCommand({"mkfs.ext2", "-F", fs_->device()});
  EXPECT_NE(mkfs.exit_code, 0) << mkfs.Describe();
  EXPECT_THAT(mkfs.out + mkfs.err, HasSubstr("apparently in use by the system")) << mkfs.Describe();
}

// Given the seed, we should see `findmnt --detached -J` list the mount once, with both pinners, its device,
// MAJ:MIN, fs type, no target yet, and the unique id the pinner's cwd has.
TEST_F(LazyUmountSeed, DetachedMountIsListedWithBothPinners) {
  const DetachedListing listing = ListDetached();
  ASSERT_EQ(listing.run.exit_code, 0) << listing.run.Describe();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  const nlohmann::json& row = rows[0];
  EXPECT_EQ(Text(row, "maj:min"), fs_->loop().MajMin());
  EXPECT_EQ(Text(row, "fstype"), "ext2");
  EXPECT_TRUE(!row.contains("target") || row["target"].is_null() || row["target"] == "") << row.dump();
  EXPECT_EQ(PinnersOf(row), ExpectedPinners());
  EXPECT_TRUE(row.contains("uniq-id") && row["uniq-id"].is_number_unsigned())
      << "UNIQ-ID should be a JSON number: " << row.dump();
  EXPECT_EQ(UniqIdOf(row), fs_->mount().unique_id());
  EXPECT_EQ(UniqIdOf(row), UniqueMountId("/proc/" + std::to_string(cwd_pinner_->pid()) + "/cwd"));
}

// Given the seed, we should get exactly one object for it in JSON, and in the list one row per pinner: no
// extra rows or lines carrying pieces of a PINNERS cell.
TEST_F(LazyUmountSeed, DetachedMountIsOneObjectAndOneListRowPerPinner) {
  const DetachedListing listing = ListDetached();
  ASSERT_TRUE(listing.doc.has_value()) << listing.run.Describe();
  for (const nlohmann::json& row : (*listing.doc)["filesystems"]) {
    // Only ours: a filesystem another scenario running beside this one (or the host) keeps alive may be known
    // by its device only, with no id (README, Known gaps). Ours has its pinners and its id.
    if (Text(row, "source") != fs_->device()) continue;
    EXPECT_NE(UniqIdOf(row), 0u) << "a row without UNIQ-ID: " << row.dump();
  }
  const RunResult list = RunCommand({Findmnt(), "--detached", "-l", "-n", "-o", "SOURCE,PINNERS"});
  std::vector<std::string> lines_naming_it;
  std::istringstream lines(list.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(fs_->device() + " ")) lines_naming_it.push_back(line);
  }
  std::vector<std::string> expected;
  for (const std::string& entry : ExpectedEntries()) expected.push_back(fs_->device() + " " + entry);
  EXPECT_THAT(lines_naming_it, ::testing::ElementsAreArray(expected)) << list.Describe();
}

// Given the seed, we should find the same row in the list, raw, pairs and no-headings outputs.
TEST_F(LazyUmountSeed, DetachedMountIsListedInEveryOutputFormat) {
  const std::string columns = "UNIQ-ID,SOURCE,MAJ:MIN,FSTYPE,TARGET,PINNERS";
  const RunResult list = RunCommand({Findmnt(), "--detached", "-l", "-o", columns});
  EXPECT_EQ(list.exit_code, 0) << list.Describe();
  EXPECT_THAT(list.out, HasSubstr("UNIQ-ID")) << list.Describe();
  EXPECT_THAT(list.out, HasSubstr(fs_->device())) << list.Describe();
  for (const std::string& entry : ExpectedEntries())
    EXPECT_THAT(list.out, HasSubstr(entry)) << list.Describe();

  const RunResult noheadings = RunCommand({Findmnt(), "--detached", "-l", "-n", "-o", columns});
  EXPECT_THAT(noheadings.out, Not(HasSubstr("UNIQ-ID"))) << noheadings.Describe();
  for (const std::string& entry : ExpectedEntries())
    EXPECT_THAT(noheadings.out, HasSubstr(entry)) << noheadings.Describe();

  const RunResult raw = RunCommand({Findmnt(), "--detached", "-r", "-n", "-o", "SOURCE,FSTYPE"});
  EXPECT_THAT(raw.out, HasSubstr(fs_->device() + " ext2\n")) << raw.Describe();

  const RunResult pairs = RunCommand({Findmnt(), "--detached", "-P", "-o", columns});
  EXPECT_THAT(pairs.out, HasSubstr("SOURCE=\"" + fs_->device() + "\"")) << pairs.Describe();
  for (const std::string& entry : ExpectedEntries())
    EXPECT_THAT(pairs.out, HasSubstr("PINNERS=\"" + entry + "\"")) << pairs.Describe();
}

// Given the seed, we should hear from mkfs-guard exactly why the device is busy, naming both pinners.
TEST_F(LazyUmountSeed, MkfsGuardExplainsWhoPinsTheDevice) {
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), DetachedBusyLine(fs_->device(), "ext2", ExpectedEntries()))
      << guard.Describe();
}

// Given the seed, we should get the same reasons from `mkfs-guard -J`: one detached-mount reason, ext2, with
// the cwd pinner as {"pid", "command": "sleep", "how": "cwd"}.
TEST_F(LazyUmountSeed, MkfsGuardJsonGivesTheDetachedMountReason) {
  const RunResult guard = RunCommand({MkfsGuard(), "-J", fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::optional<nlohmann::json> doc = ParseJson(guard.out);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(Text(*doc, "device"), fs_->device());
  EXPECT_EQ(doc->value("busy", nlohmann::json()), true);
  ASSERT_TRUE(doc->contains("reasons") && (*doc)["reasons"].is_array()) << doc->dump(2);
  ASSERT_GE((*doc)["reasons"].size(), 1u) << doc->dump(2);
  const nlohmann::json& reason = (*doc)["reasons"][0];
  EXPECT_EQ(Text(reason, "kind"), "detached-mount") << doc->dump(2);
  EXPECT_EQ(Text(reason, "fstype"), "ext2") << doc->dump(2);
  bool found_cwd = false;
  for (const nlohmann::json& pinner : Pinners(reason)) {
    if (Number(pinner, "pid") != cwd_pinner_->pid()) continue;
    found_cwd = true;
    EXPECT_EQ(Text(pinner, "command"), "sleep");
    EXPECT_EQ(Text(pinner, "how"), "cwd");
    EXPECT_TRUE(pinner.contains("user") && pinner.contains("unit")) << pinner.dump();
  }
  EXPECT_TRUE(found_cwd) << "cwd pinner " << cwd_pinner_->pid() << " missing: " << doc->dump(2);
}

// Given the seed, we should see DETACH_SCAN_DEBUG make mkfs-guard print how long each scan phase took on
// stderr (the census's phases among them, the total last) and change nothing it says about the device. (Only
// its first line is compared: two snapshots of a shared host may differ in passing processes that hold the
// loop device open, listed further down.)
TEST_F(LazyUmountSeed, ScanDebugTimesEachPhaseAndChangesNothingElse) {
  const std::string guard = ToolPath("MKFS_GUARD");
  const RunResult plain = RunCommand({guard, fs_->device()});
  const RunResult debug = RunCommand({"env", "DETACH_SCAN_DEBUG=1", guard, fs_->device()});
  EXPECT_EQ(debug.exit_code, plain.exit_code) << debug.Describe();
  EXPECT_EQ(FirstLine(debug.out), FirstLine(plain.out)) << debug.Describe();
  EXPECT_EQ(FirstLine(debug.out), DetachedBusyLine(fs_->device(), "ext2", ExpectedEntries()))
      << debug.Describe();
  EXPECT_THAT(plain.err, Not(HasSubstr("detach-scan:"))) << plain.Describe();
  const std::regex phase_line(R"(detach-scan: +[0-9]+\.[0-9]{3} ms  (.+))");
  std::vector<std::string> phases;
  std::istringstream lines(debug.err);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, phase_line)) phases.push_back(m[1]);
  }
  ASSERT_FALSE(phases.empty()) << debug.Describe();
  EXPECT_EQ(phases.back(), "total");
  for (const char* expected : {"tasks", "task pins", "census/object pins", "census/probe pins"})
    EXPECT_NE(std::find(phases.begin(), phases.end(), expected), phases.end()) << expected << "\n"
                                                                               << debug.err;
}

// Given the seed, once both pinners end we should see the mount leave `findmnt --detached` and mkfs succeed.
TEST_F(LazyUmountSeed, AfterPinnersEndTheDeviceIsFreeAgain) {
  EndPinnersAndWaitForDevice();
  const DetachedListing listing = ListDetached();
  EXPECT_TRUE(listing.RowsFor(fs_->device()).empty()) << listing.run.Describe();
  if (listing.RowsFor(fs_->device()).empty() && listing.run.out.find("\"source\"") == std::string::npos) {
    EXPECT_EQ(listing.run.exit_code, 1) << "nothing listed should exit 1: " << listing.run.Describe();
  }
  // This process still holds the loop device open (not O_EXCL: it owns the device). mkfs does not mind a
  // plain open, so neither may the guard: the device is free.
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 0) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), fs_->device() + " is free: mkfs can use it") << guard.Describe();
  const RunResult mkfs = RunCommand({"mkfs.ext2", "-q", "-F", fs_->device()});
  EXPECT_EQ(mkfs.exit_code, 0) << mkfs.Describe();
}

}  // namespace
}  // namespace itest

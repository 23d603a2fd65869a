// SPDX-License-Identifier: GPL-2.0-or-later
// A loop device with a DOS partition table (this kernel reads no GPT), partitions seen through losetup -P
// and partx -a, the first one mounted with a pinner: the whole disk is busy because of its partition, the
// pinner is named with its command, and the second partition is free. Several devices at once are each
// explained.
#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class GuardPartitions : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    dir_.emplace();
    const std::string image = dir_->path() + "/disk.img";
    MakeImage(image, 64);
    RunOrThrow({"sh", "-c", "printf 'label: dos\\n,24M,L\\n,,L\\n' | sfdisk -q " + image});
    loop_.emplace(image, false, true);
    part1_ = loop_->path() + "p1";
    part2_ = loop_->path() + "p2";
    RunCommand(
        {"partx", "-a", loop_->path()});  // adds what the scan at LOOP_CONFIGURE did not (EBUSY: all there)
    ASSERT_TRUE(WaitUntil([&] { return access(part2_.c_str(), F_OK) == 0; }, 10s))
        << part2_ << " never appeared";
    RunOrThrow({"mkfs.ext2", "-q", part1_});
    mount_.emplace(part1_, dir_->MakeDir("p1"), "ext2");
    pinner_.emplace(SpawnSleepWithCwd(mount_->target()));
  }

  std::optional<TempDir> dir_;
  std::optional<LoopDevice> loop_;
  std::string part1_, part2_;
  std::optional<Mount> mount_;
  std::optional<ChildProcess> pinner_;
};

TEST_F(GuardPartitions, DiskIsBusyBecauseOfItsMountedPartitionAndNamesThePinner) {
  const RunResult guard = RunCommand({MkfsGuard(), loop_->path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), loop_->path() + " is busy: its partition " + part1_ +
                                      " is busy: it is mounted at " + mount_->target())
      << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr("pinned by: " + PinEntry(pinner_->pid(), "sleep", "cwd")))
      << guard.Describe();
}

TEST_F(GuardPartitions, JsonNestsThePartitionsReasonsWithThePinnersUser) {
  const RunResult guard = RunCommand({MkfsGuard(), "-J", loop_->path()});
  const std::optional<nlohmann::json> doc = ParseJson(guard.out);
  ASSERT_TRUE(doc.has_value()) << guard.Describe();
  const nlohmann::json reasons = Reasons(*doc);
  ASSERT_FALSE(reasons.empty()) << doc->dump(2);  // then a note: this test holds the loop device (read-only)
  EXPECT_EQ(Text(reasons[0], "kind"), "partition");
  EXPECT_EQ(Text(reasons[0], "partition"), part1_);
  const nlohmann::json nested = Reasons(reasons[0]);
  ASSERT_FALSE(nested.empty()) << doc->dump(2);
  EXPECT_EQ(Text(nested[0], "kind"), "mounted");
  const nlohmann::json pinners = Pinners(nested[0]);
  ASSERT_EQ(pinners.size(), 1u) << doc->dump(2);
  EXPECT_EQ(Number(pinners[0], "pid"), pinner_->pid());
  EXPECT_EQ(Text(pinners[0], "user"), "root");
}

TEST_F(GuardPartitions, SeveralDevicesAreEachExplained) {
  const RunResult guard = RunCommand({MkfsGuard(), part2_, loop_->path(), part1_});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr(part2_ + " is free: mkfs can use it\n")) << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr(loop_->path() + " is busy: its partition " + part1_)) << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr(part1_ + " is busy: it is mounted at " + mount_->target()))
      << guard.Describe();
  const RunResult json = RunCommand({MkfsGuard(), "-J", part2_, part1_});
  const std::optional<nlohmann::json> doc = ParseJson(json.out);
  ASSERT_TRUE(doc.has_value()) << json.Describe();
  ASSERT_EQ((*doc)["devices"].size(), 2u) << doc->dump(2);
  EXPECT_EQ(Text((*doc)["devices"][0], "status"), "free");
  EXPECT_EQ(Text((*doc)["devices"][1], "status"), "busy");
  const RunResult free_only = RunCommand({MkfsGuard(), part2_});
  EXPECT_EQ(free_only.exit_code, 0) << free_only.Describe();
}

}  // namespace
}  // namespace itest

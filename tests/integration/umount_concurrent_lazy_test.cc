// SPDX-License-Identifier: GPL-2.0-or-later
// Sixteen `umount -l` at once, each of a pinned filesystem: the journal is appended under a lock, so every
// detach is recorded whole, and `findmnt --detached` shows each former mount point.
#include <map>
#include <memory>

#include "umount_test_util.h"

namespace itest {
namespace {

constexpr int kUmounts = 16;

class SixteenConcurrentLazyUmounts : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT");
    EnterPrivateMountNamespace();
    for (int i = 0; i < kUmounts; ++i) {
      filesystems_.emplace_back(std::make_unique<LoopFs>("ext2", 8, true, "m" + std::to_string(i)));
      pinners_.push_back(SpawnSleepWithCwd(filesystems_.back()->mountpoint()));
    }
  }
  std::vector<std::unique_ptr<LoopFs>> filesystems_;
  std::vector<ChildProcess> pinners_;
};

// Given 16 pinned mounts unmounted lazily at the same time, we should find 16 whole records, one per mount
// (by unique id, with its place and pinner), and findmnt --detached should list all 16 with their places.
TEST_F(SixteenConcurrentLazyUmounts, EveryDetachIsJournaled) {
  std::vector<std::uint64_t> ids;
  for (const auto& fs : filesystems_) ids.push_back(fs->mount().unique_id());
  std::vector<std::unique_ptr<AsyncCommand>> umounts;
  for (const auto& fs : filesystems_)
    umounts.push_back(
        std::make_unique<AsyncCommand>(std::vector<std::string>{Umount(), "-l", fs->mountpoint()}));
  for (auto& u : umounts) {
    RunResult r = u->Finish();
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
  }
  std::map<std::uint64_t, detach::DetachRecord> by_id;
  for (const detach::DetachRecord& r : UmountRecords()) by_id.emplace(r.unique_id, r);
  ASSERT_EQ(by_id.size(), static_cast<std::size_t>(kUmounts));
  for (std::size_t i = 0; i < filesystems_.size(); ++i) {
    auto it = by_id.find(ids[i]);
    ASSERT_NE(it, by_id.end()) << "no record for " << filesystems_[i]->mountpoint();
    EXPECT_EQ(it->second.target, filesystems_[i]->mountpoint());
    EXPECT_EQ(it->second.source, filesystems_[i]->device());
    EXPECT_EQ(it->second.pinners, PinEntry(pinners_[i].pid(), "sleep", "cwd"));
  }
  DetachedListing listing = ListDetached();
  for (const auto& fs : filesystems_) {
    std::vector<nlohmann::json> rows = listing.RowsFor(fs->device());
    ASSERT_EQ(rows.size(), 1u) << fs->device() << "\n" << listing.run.Describe();
    EXPECT_EQ(Text(rows[0], "target"), fs->mountpoint());
    EXPECT_NE(by_id.count(UniqIdOf(rows[0])), 0u) << "findmnt's mount is not the one journaled";
  }
}

}  // namespace
}  // namespace itest

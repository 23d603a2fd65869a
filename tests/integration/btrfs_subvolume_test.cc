// SPDX-License-Identifier: GPL-2.0-or-later
// A btrfs subvolume mount: its st_dev is an anonymous device number, not the loop device's, so anything that
// matches pins by device number misses it. Pins are keyed on mount ids instead.
#include "harness.h"

namespace itest {
namespace {

class BtrfsSubvolumeDetached : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD");
    fs_.emplace("btrfs", 256, /*mount_now=*/false);
    CreateSubvolume("sv");
    fs_->MountAt("subvol=sv");
    pinner_.emplace(SpawnSleepWithCwd(fs_->mountpoint()));
    fs_->mount().Detach();
  }

  // Mounts the top level on TEMP/top, creates the subvolume, unmounts the top level again.
  void CreateSubvolume(const std::string& name) {
    Mount top(fs_->device(), fs_->dir().MakeDir("top"), "btrfs");
    RunOrThrow({"btrfs", "-q", "subvolume", "create", top.target() + "/" + name});
    top.Unmount();
  }

  std::string Entry() const { return PinEntry(pinner_->pid(), "sleep", "cwd"); }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> pinner_;
};

// Given a btrfs subvolume mount lazily detached with a cwd pinner, we should see findmnt --detached list it
// as btrfs on the loop device, with that pinner, under the unique id the pinner's cwd reports.
TEST_F(BtrfsSubvolumeDetached, IsListedAsBtrfsWithItsPinner) {
  const DetachedListing listing = ListDetached();
  ASSERT_EQ(listing.run.exit_code, 0) << listing.run.Describe();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_EQ(Text(rows[0], "fstype"), "btrfs");
  EXPECT_EQ(PinnersOf(rows[0]), Entry());
  EXPECT_EQ(UniqIdOf(rows[0]), UniqueMountId("/proc/" + std::to_string(pinner_->pid()) + "/cwd"));
  EXPECT_EQ(UniqIdOf(rows[0]), fs_->mount().unique_id());
}

// Given the same, we should hear from mkfs-guard that the loop device is busy with a lazily unmounted btrfs
// pinned by the sleep's cwd.
TEST_F(BtrfsSubvolumeDetached, MkfsGuardExplainsTheLoopDeviceBusy) {
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), DetachedBusyLine(fs_->device(), "btrfs", {Entry()})) << guard.Describe();
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// A mount that is attached and busy is not a detached mount: findmnt --detached must leave it out, while
// mkfs-guard still explains the device as mounted and names who uses it.
#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class AttachedAndBusy : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD");
    fs_.emplace();
    pinner_.emplace(SpawnSleepWithCwd(fs_->mountpoint()));
  }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> pinner_;
};

// Given an attached ext2 fs with a cwd pinner, we should not see it in findmnt --detached.
TEST_F(AttachedAndBusy, IsNotListedAsDetached) {
  const DetachedListing listing = ListDetached();
  EXPECT_TRUE(listing.RowsFor(fs_->device()).empty()) << listing.run.Describe();
  EXPECT_EQ(listing.run.out.find(std::to_string(fs_->mount().unique_id())), std::string::npos)
      << listing.run.Describe();
}

// Given the same, we should hear from mkfs-guard that the device is mounted at TEMP/x, and who uses it.
TEST_F(AttachedAndBusy, MkfsGuardSaysMountedAndNamesThePinner) {
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), fs_->device() + " is busy: it is mounted at " + fs_->mountpoint())
      << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr(PinEntry(pinner_->pid(), "sleep", "cwd"))) << guard.Describe();
}

// Given the same, we should get a "mounted" reason with the target and the pinner from mkfs-guard -J.
TEST_F(AttachedAndBusy, MkfsGuardJsonHasAMountedReasonWithThePinner) {
  const RunResult guard = RunCommand({MkfsGuard(), "-J", fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::optional<nlohmann::json> doc = ParseJson(guard.out);
  ASSERT_TRUE(doc.has_value());
  bool mounted = false;
  bool pinner_named = false;
  for (const nlohmann::json& reason : Reasons(*doc)) {
    if (Text(reason, "kind") != "mounted") continue;
    mounted = mounted || Text(reason, "target") == fs_->mountpoint();
    for (const nlohmann::json& pinner : Pinners(reason)) {
      pinner_named =
          pinner_named || (Number(pinner, "pid") == pinner_->pid() && Text(pinner, "how") == "cwd");
    }
  }
  EXPECT_TRUE(mounted) << "no {\"kind\":\"mounted\",\"target\":\"" << fs_->mountpoint()
                       << "\"}: " << doc->dump(2);
  EXPECT_TRUE(pinner_named) << "pinner " << pinner_->pid()
                            << " (cwd) not in the mounted reason: " << doc->dump(2);
}

}  // namespace
}  // namespace itest

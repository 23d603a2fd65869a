// SPDX-License-Identifier: GPL-2.0-or-later
// A bind mount of a subdirectory keeps the superblock attached after the original mount is lazily
// unmounted: the device is busy because it is mounted, not because of a detached mount.
#include <sys/stat.h>

#include "harness.h"

namespace itest {
namespace {

class BindOfSubdirOutlivesLazyUmount : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD");
    fs_.emplace();
    const std::string sub = fs_->File("sub");
    ASSERT_EQ(mkdir(sub.c_str(), 0755), 0);
    bind_.emplace(Mount::Bind(sub, fs_->dir().MakeDir("bind")));
    pinner_.emplace(SpawnSleepWithCwd(bind_->target()));
    fs_->mount().Detach();
  }

  std::optional<LoopFs> fs_;
  std::optional<Mount> bind_;
  std::optional<ChildProcess> pinner_;
};

// Given a bind mount of a subdirectory, still attached (and pinned) after the original was lazily unmounted,
// we should hear from mkfs-guard that the device is mounted at the bind target.
TEST_F(BindOfSubdirOutlivesLazyUmount, MkfsGuardSaysMountedAtTheBindTarget) {
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), fs_->device() + " is busy: it is mounted at " + bind_->target())
      << guard.Describe();
}

// Given the same, we should not see the still-attached bind mount in findmnt --detached.
TEST_F(BindOfSubdirOutlivesLazyUmount, FindmntDetachedDoesNotListTheAttachedBind) {
  const DetachedListing listing = ListDetached();
  EXPECT_TRUE(listing.RowsFor(fs_->device()).empty()) << listing.run.Describe();
  EXPECT_EQ(listing.run.out.find(std::to_string(bind_->unique_id())), std::string::npos)
      << listing.run.Describe();
}

}  // namespace
}  // namespace itest

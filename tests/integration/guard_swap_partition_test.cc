// SPDX-License-Identifier: GPL-2.0-or-later
// A loop device in use as a swap area: mkfs-guard says so, and the wrapper does not run mkswap over it.
#include <sys/swap.h>

#include "harness.h"

namespace itest {
namespace {

class GuardSwapPartition : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    loop_.emplace(32);
    RunOrThrow({"mkswap", "-q", loop_->path()});
    ASSERT_EQ(swapon(loop_->path().c_str(), 0), 0) << "swapon " << loop_->path();
    swapped_ = true;
  }
  void TearDown() override {
    if (swapped_) swapoff(loop_->path().c_str());
  }

  std::optional<BlankLoop> loop_;
  bool swapped_ = false;
};

TEST_F(GuardSwapPartition, IsAnActiveSwapArea) {
  const RunResult guard = RunCommand({MkfsGuard(), loop_->path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), loop_->path() + " is busy: it is an active swap area") << guard.Describe();
  const RunResult wrapped = RunCommand({MkfsGuard(), "--", "mkswap", "-f", loop_->path()});
  EXPECT_EQ(wrapped.exit_code, 124) << wrapped.Describe();
}

}  // namespace
}  // namespace itest

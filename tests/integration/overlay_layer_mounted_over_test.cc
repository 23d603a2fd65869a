// SPDX-License-Identifier: GPL-2.0-or-later
// An overlay whose lowerdir is M/lower on a loop-mounted ext4 M; after the overlay was made, a tmpfs is
// mounted over M/lower. The path the overlay shows now leads into the tmpfs, a mount younger than the
// overlay: the layer cannot be there (unique mount ids grow), so no tool may name the overlay as holding the
// tmpfs. The upperdir and workdir still lead to M, where they are.
#include <sys/mount.h>

#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class OverlayLayerMountedOver : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "FUSER");
    EnterPrivateMountNamespace();
    fs_.emplace("ext4");
    for (const char* dir : {"lower", "upper", "work"}) RunOrThrow({"mkdir", fs_->File(dir)});
    merged_ = fs_->dir().MakeDir("o");
    overlay_.emplace("overlay", merged_, "overlay", 0,
                     "lowerdir=" + fs_->File("lower") + ",upperdir=" + fs_->File("upper") +
                         ",workdir=" + fs_->File("work"));
    over_.emplace("itest-over", fs_->File("lower"), "tmpfs");
  }

  std::optional<LoopFs> fs_;
  std::string merged_;
  std::optional<Mount> overlay_;
  std::optional<Mount> over_;  // the tmpfs on M/lower, made after the overlay: unmounted first
};

// Given the tmpfs over M/lower, fuser -mv on the tmpfs names no overlay (its lowerdir is not there), while
// fuser -mv on M names the overlay by its upperdir and workdir only.
TEST_F(OverlayLayerMountedOver, AYoungerMountOverALayerPathIsNotBlamed) {
  const RunResult tmpfs = RunCommand({Fuser(), "-mv", fs_->File("lower")});
  EXPECT_THAT(tmpfs.err, Not(HasSubstr("overlay"))) << tmpfs.Describe();
  const RunResult m = RunCommand({Fuser(), "-mv", fs_->mountpoint()});
  EXPECT_THAT(m.err, HasSubstr(" mount overlay " + merged_ + " (upperdir, workdir)\n")) << m.Describe();
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// fuser -m on btrfs, whose subvolumes have anonymous device numbers of their own: psmisc compares st_dev and
// so misses processes in a subvolume nested in a mount and finds nobody for the btrfs device. Ours matches by
// mount and superblock: a subvolume mount stands for its users (nested subvolumes included) and its
// subvolume's, the device for the whole filesystem; a file is still matched by its inode, as psmisc does.
#include <algorithm>

#include "harness.h"

namespace itest {
namespace {

class FuserBtrfsSubvolumes : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FUSER");
    fs_.emplace("btrfs", 256, /*mount_now=*/false, "top");
    fs_->MountAt();
    const std::string top = fs_->mountpoint();
    RunOrThrow({"btrfs", "-q", "subvolume", "create", top + "/nested"});
    RunOrThrow({"btrfs", "-q", "subvolume", "create", top + "/other"});
    sv_.emplace(fs_->device(), fs_->dir().MakeDir("sv"), "btrfs", 0, "subvol=other");
    in_nested_.emplace(SpawnSleepWithCwd(top + "/nested"));
    in_top_.emplace(SpawnSleepWithCwd(top));
    in_sv_.emplace(SpawnSleepWithCwd(sv_->target()));
    in_other_through_top_.emplace(SpawnSleepWithCwd(top + "/other"));
  }

  // The test's processes that fuser names for ARGS (others may use the device too: udev probes it).
  std::vector<pid_t> Users(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{Fuser()};
    argv.insert(argv.end(), args.begin(), args.end());
    const RunResult run = RunCommand(argv);
    EXPECT_EQ(run.exit_code, 0) << run.Describe();
    const std::vector<pid_t> ours{in_nested_->pid(), in_top_->pid(), in_sv_->pid(),
                                  in_other_through_top_->pid()};
    std::vector<pid_t> pids;
    for (pid_t pid : PidsPrinted(run.out))
      if (std::find(ours.begin(), ours.end(), pid) != ours.end()) pids.push_back(pid);
    std::sort(pids.begin(), pids.end());
    return pids;
  }

  std::vector<pid_t> Sorted(std::vector<pid_t> pids) const {
    std::sort(pids.begin(), pids.end());
    return pids;
  }

  std::optional<LoopFs> fs_;
  std::optional<Mount> sv_;
  std::optional<ChildProcess> in_nested_, in_top_, in_sv_, in_other_through_top_;
};

// Given -m on the top-level mount, we should list whoever stands in it, also in the subvolumes nested there
// (psmisc lists only the one in the top subvolume itself).
TEST_F(FuserBtrfsSubvolumes, TopMountListsItsUsersNestedSubvolumesIncluded) {
  EXPECT_EQ(Users({"-m", fs_->mountpoint()}),
            Sorted({in_nested_->pid(), in_top_->pid(), in_other_through_top_->pid()}));
}

// Given -m on the mount of subvolume "other", we should list its users and those of "other" through the top
// mount, as psmisc does, and not the others.
TEST_F(FuserBtrfsSubvolumes, SubvolumeMountListsItsSubvolumesUsers) {
  EXPECT_EQ(Users({"-m", sv_->target()}), Sorted({in_sv_->pid(), in_other_through_top_->pid()}));
}

// Given -m on the btrfs device, we should list every user of the filesystem (psmisc finds nobody).
TEST_F(FuserBtrfsSubvolumes, DeviceListsTheWholeFilesystem) {
  EXPECT_EQ(Users({"-m", fs_->device()}),
            Sorted({in_nested_->pid(), in_top_->pid(), in_sv_->pid(), in_other_through_top_->pid()}));
}

// Given the directory of subvolume "other" (no -m), we should match its inode: both cwds there, whichever
// mount they came through, and show the mount of it in -v.
TEST_F(FuserBtrfsSubvolumes, SubvolumeDirectoryMatchesByInode) {
  EXPECT_EQ(Users({fs_->mountpoint() + "/other"}), Sorted({in_sv_->pid(), in_other_through_top_->pid()}));
  const RunResult run = RunCommand({Fuser(), "-v", fs_->mountpoint() + "/other"});
  EXPECT_THAT(run.err, ::testing::HasSubstr(" root      mount " + sv_->target() + "\n")) << run.Describe();
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// FsEndWatch on real parts: the end of a filesystem is seen through a watch that pins nothing, added on the
// mount point before a umount or through a pinner's /proc/PID/cwd after a lazy one (as mkfs-guard --wait
// would); a watch whose inode goes away first is Lost, not Ended.
#include <fcntl.h>
#include <unistd.h>

#include "../integration/harness.h"
#include "scan/fs_end.h"

namespace itest {
namespace {

using State = detach::FsEndWatch::State;

std::chrono::steady_clock::time_point In(std::chrono::milliseconds ms) {
  return std::chrono::steady_clock::now() + ms;
}

class FsEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT();
    EnterPrivateMountNamespace();
    fs_.emplace();
    auto watch = detach::FsEndWatch::create();
    ASSERT_TRUE(watch.has_value()) << watch.error().message();
    watch_.emplace(std::move(*watch));
  }
  std::optional<LoopFs> fs_;
  std::optional<detach::FsEndWatch> watch_;
};

// Given a watch on the mount point, a plain umount of the idle fs ends it with the device free; the watch
// itself kept nothing busy.
TEST_F(FsEnd, WatchOnTheMountPointSeesAPlainUmount) {
  auto index = watch_->add(fs_->mountpoint(), fs_->device());
  ASSERT_TRUE(index.has_value()) << index.error().message();
  ASSERT_TRUE(watch_->update());
  EXPECT_EQ(watch_->state(*index), State::Alive);
  fs_->mount().Unmount();  // would fail with EBUSY if the watch pinned the mount
  auto all = watch_->wait(In(10s));
  ASSERT_TRUE(all.has_value()) << all.error().message();
  EXPECT_TRUE(*all);
  EXPECT_EQ(watch_->state(*index), State::Ended);
  EXPECT_TRUE(DeviceIsFree(fs_->device()));
}

// Given a lazily detached fs and a watch through its pinner's cwd, the deadline passes while the pinner
// lives, and the end comes once it goes.
TEST_F(FsEnd, WatchThroughAPinnersCwdAfterALazyUmount) {
  std::optional<ChildProcess> pinner(SpawnSleepWithCwd(fs_->mountpoint()));
  fs_->mount().Detach();
  auto index = watch_->add("/proc/" + std::to_string(pinner->pid()) + "/cwd", fs_->device());
  ASSERT_TRUE(index.has_value()) << index.error().message();
  auto early = watch_->wait(In(100ms));
  ASSERT_TRUE(early.has_value());
  EXPECT_FALSE(*early) << "ended while its pinner lives";
  pinner->Kill();
  auto all = watch_->wait(std::nullopt);
  ASSERT_TRUE(all.has_value()) << all.error().message();
  EXPECT_TRUE(*all);
  EXPECT_TRUE(DeviceIsFree(fs_->device()));
}

// Given a watch through a pinner's fd on a file that is deleted and closed while the fs lives, the watch is
// Lost (its inode is gone), and the fs is not taken for ended.
TEST_F(FsEnd, DeletedFileBehindTheWatchIsLostNotEnded) {
  const std::string file = fs_->File("gone");
  WriteFile(file, "x");
  UniqueFd fd(open(file.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd.valid());
  auto index = watch_->add("/proc/self/fd/" + std::to_string(fd.get()));
  ASSERT_TRUE(index.has_value()) << index.error().message();
  ASSERT_EQ(unlink(file.c_str()), 0);
  fd.reset();
  auto all = watch_->wait(In(10s));
  ASSERT_TRUE(all.has_value());
  EXPECT_TRUE(*all);
  EXPECT_EQ(watch_->state(*index), State::Lost);
  EXPECT_FALSE(DeviceIsFree(fs_->device())) << "the fs is still mounted";
}

// Given a path that leads nowhere, add fails and nothing is watched.
TEST_F(FsEnd, UnreachablePathIsAnError) {
  auto index = watch_->add(fs_->mountpoint() + "/nope");
  ASSERT_FALSE(index.has_value());
  EXPECT_EQ(index.error().err, ENOENT);
  EXPECT_EQ(watch_->size(), 0u);
  EXPECT_TRUE(watch_->done());
}

}  // namespace
}  // namespace itest

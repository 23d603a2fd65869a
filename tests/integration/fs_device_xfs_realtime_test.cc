// SPDX-License-Identifier: GPL-2.0-or-later
// xfs with a realtime device (mkfs.xfs -r rtdev=RT, mounted with rtdev=RT), pinned by a process's cwd: the
// kernel keeps RT claimed and states it only in the mount's options (rtdev=), and once lazily unmounted in
// what the journal recorded. A kernel built without CONFIG_XFS_RT refuses the mount (ENOSYS): the test says
// so and skips; the fixture tests (tests/guard/claimed_devices_test.cc) cover rtdev= on any kernel.
#include <sys/mount.h>

#include <cerrno>
#include <cstring>

#include "fs_device_util.h"

namespace itest {
namespace {

class XfsRealtimeDevice : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD", "FUSER", "FINDMNT", "UMOUNT");
    data_.emplace(300);
    realtime_.emplace(64);
    RunOrThrow({"mkfs.xfs", "-q", "-f", "-r", "rtdev=" + realtime_->path(), data_->path()});
    const std::string target = data_->dir().MakeDir("x");
    const std::string options = "rtdev=" + realtime_->path();
    if (::mount(data_->path().c_str(), target.c_str(), "xfs", 0, options.c_str()) != 0) {
      if (errno == ENOSYS) GTEST_SKIP() << "this kernel has no xfs realtime support (CONFIG_XFS_RT is off)";
      FAIL() << "mount " << data_->path() << " with " << options << ": " << std::strerror(errno);
    }
    ASSERT_EQ(::umount2(target.c_str(), 0), 0) << std::strerror(errno);
    mount_.emplace(data_->path(), target, "xfs", 0, options);
    pinner_.emplace(SpawnSleepWithCwd(mount_->target()));
  }

  std::string Entry() const { return PinEntry(pinner_->pid(), "sleep", "cwd"); }
  const std::string& Target() const { return mount_->target(); }

  std::optional<BlankLoop> data_, realtime_;
  std::optional<Mount> mount_;
  std::optional<ChildProcess> pinner_;
};

// Given the filesystem mounted, then lazily unmounted by our umount, we should hear from mkfs-guard (text and
// JSON) and fuser -v each time that RT is its realtime device, with its place and pinner.
TEST_F(XfsRealtimeDevice, IsNamedForTheRealtimeDeviceMountedAndDetached) {
  const RunResult guard = RunCommand({MkfsGuard(), realtime_->path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), realtime_->path() + " is busy: it is " +
                                      ClaimPhrase("the realtime device", "xfs", data_->path()) +
                                      ", which is mounted at " + Target())
      << guard.Describe();
  ExpectNoUnknownOrGuess(guard);
  EXPECT_EQ(ClaimReasonOf(realtime_->path(), "realtime", "xfs", data_->path()).size(), 1u);
  const RunResult fuser = RunCommand({Fuser(), "-v", realtime_->path()});
  EXPECT_THAT(fuser.err, HasSubstr(FuserClaimRow(Target(), "realtime device", "xfs", data_->path(), false)))
      << fuser.Describe();

  const RunResult umount = RunCommand({Umount(), "-l", Target()});
  EXPECT_EQ(FirstLine(umount.err),
            "umount: " + Target() + ": lazily unmounted, but its filesystem lives on, pinned by " + Entry())
      << umount.Describe();
  const RunResult detached = RunCommand({MkfsGuard(), realtime_->path()});
  EXPECT_EQ(FirstLine(detached.out), realtime_->path() + " is busy: it is " +
                                         ClaimPhrase("the realtime device", "xfs", data_->path()) +
                                         ", which was lazily unmounted from " + Target() +
                                         " and is still pinned by: " + Entry())
      << detached.Describe();
  const RunResult fuser_detached = RunCommand({Fuser(), "--detached", "-v", realtime_->path()});
  EXPECT_THAT(fuser_detached.err,
              HasSubstr(FuserClaimRow(Target(), "realtime device", "xfs", data_->path(), true)))
      << fuser_detached.Describe();
}

}  // namespace
}  // namespace itest

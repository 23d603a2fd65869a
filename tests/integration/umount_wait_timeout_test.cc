// SPDX-License-Identifier: GPL-2.0-or-later
// `umount -l --wait=SECONDS` whose pinner outlives the time: exit 32 (what was asked, the filesystem gone,
// did not happen; the man page says so), naming what still pins it; the mount stays detached.
#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class WaitTimesOut : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT");
    EnterPrivateMountNamespace();
    fs_.emplace();
    pinner_.emplace(SpawnSleepWithCwd(fs_->mountpoint()));
  }
  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> pinner_;
};

TEST_F(WaitTimesOut, ExitsThirtyTwoAndNamesWhatStillPinsIt) {
  const std::string mnt = fs_->mountpoint();
  RunResult r = RunCommand({Umount(), "-l", "--wait=0.2", mnt});
  EXPECT_EQ(r.exit_code, 32) << r.Describe();
  const std::string pin = PinEntry(pinner_->pid(), "sleep", "cwd");
  EXPECT_EQ(Lines(r.err),
            (std::vector<std::string>{
                "umount: " + mnt + ": lazily unmounted, but its filesystem lives on, pinned by " + pin,
                kIndent + "waiting for its end (findmnt --detached shows it)",
                "umount: " + mnt +
                    ": gave up waiting after 0.2 seconds: its filesystem lives on, "
                    "pinned by " +
                    pin,
                kIndent + "findmnt --detached shows it"}));
  EXPECT_FALSE(DeviceIsFree(fs_->device()));
  EXPECT_EQ(ListDetached().RowsFor(fs_->device()).size(), 1u);
}

// Given a bad time, we should get a usage error (1) and nothing unmounted.
TEST_F(WaitTimesOut, BadTimeIsAUsageError) {
  for (const char* bad : {"--wait=x", "--wait=-1", "--wait=", "--wait=1s"}) {
    RunResult r = RunCommand({Umount(), bad, fs_->mountpoint()});
    EXPECT_EQ(r.exit_code, 1) << bad << "\n" << r.Describe();
    EXPECT_THAT(r.err, HasSubstr("umount: invalid --wait argument: '")) << r.Describe();
    EXPECT_TRUE(Mounted(fs_->mountpoint()));
  }
}

}  // namespace
}  // namespace itest

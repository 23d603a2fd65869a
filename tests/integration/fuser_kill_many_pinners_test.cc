// SPDX-License-Identifier: GPL-2.0-or-later
// fuser -k on many processes: 200 sleeps with their cwd in one filesystem, each ended, and fuser returns.
#include <sys/wait.h>

#include "harness.h"

namespace itest {
namespace {

constexpr int kPinners = 200;

// Given 200 processes standing in a filesystem, we should see fuser -km end every one of them (and only
// them: each is checked to be the test's own child, reaped here) and exit 0.
TEST(FuserKillManyPinners, EndsThemAllAndReturns) {
  ITEST_REQUIRE_ROOT_AND_TOOLS("FUSER");
  LoopFs fs;
  std::vector<ChildProcess> pinners;
  pinners.reserve(kPinners);
  for (int i = 0; i < kPinners; ++i) pinners.push_back(SpawnSleepWithCwd(fs.mountpoint()));

  const RunResult listed = RunCommand({Fuser(), "-m", fs.mountpoint()});
  std::vector<pid_t> pids = PidsPrinted(listed.out);
  std::sort(pids.begin(), pids.end());
  std::vector<pid_t> ours;
  ours.reserve(pinners.size());
  for (const ChildProcess& p : pinners) ours.push_back(p.pid());
  std::sort(ours.begin(), ours.end());
  ASSERT_EQ(pids, ours) << "fuser -m must name exactly the test's pinners before any is killed\n"
                        << listed.Describe();

  const RunResult run = RunCommand({Fuser(), "-km", fs.mountpoint()}, 120s);
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  int ended = 0;
  for (ChildProcess& p : pinners) {
    std::optional<int> status = p.WaitForEnd(10s);
    if (status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL) ++ended;
  }
  EXPECT_EQ(ended, kPinners) << run.Describe();
}

}  // namespace
}  // namespace itest

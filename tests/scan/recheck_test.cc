// SPDX-License-Identifier: GPL-2.0-or-later
// A pin looked at again after the scan, on live processes: what fuser -k checks before it signals (the
// process still holds what it was found holding, HeldProcess), and an fd's access mode read after a scan that
// skipped it.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "../integration/harness.h"
#include "scan/end_process.h"
#include "scan/recheck.h"
#include "scan/scan.h"

namespace itest {
namespace {

// The scan of the live system, with no pin details (as fuser without -v takes it).
detach::Snapshot Take() {
  detach::ScanOptions options;
  options.detail_pins_of = [](const detach::Mount&) { return false; };
  options.fd_paths = true;  // one pin per fd
  options.describe_detached = [](const detach::Mount&) { return false; };
  auto snapshot = detach::take_snapshot(options);
  if (!snapshot) throw std::runtime_error(snapshot.error().message());
  return std::move(*snapshot);
}

const detach::Pin* PinOf(const detach::Snapshot& s, pid_t pid, detach::PinKind kind, int fd = -1) {
  for (const detach::Pin& pin : s.pins)
    if (pin.pid == pid && pin.kind == kind && (fd < 0 || pin.fd == fd)) return &pin;
  return nullptr;
}

// A child that holds FILE open as fd 5, and on SIGUSR1 puts OTHER there instead.
ChildProcess SpawnSwapper(const std::string& file, const std::string& other, int flags) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    OpenAsFdOrFail(ready, file, flags, 5);
    static std::string replacement;
    replacement = other;
    signal(SIGUSR1, [](int) {
      int fd = open(replacement.c_str(), O_RDONLY);
      dup2(fd, 5);
    });
    ready.Signal();
    PauseForever();
  });
}

// Given a process that still holds what the scan saw (its cwd, its fd), we should say so; once it put another
// file in that fd, or ended, we should not.
TEST(Recheck, StillHoldsUntilTheFdIsAnotherFileOrTheProcessIsGone) {
  ITEST_REQUIRE_ROOT();
  TempDir dir;
  WriteFile(dir.path() + "/a", "a\n");
  WriteFile(dir.path() + "/b", "b\n");
  ChildProcess cwd = SpawnSleepWithCwd(dir.path());
  ChildProcess holder = SpawnSwapper(dir.path() + "/a", dir.path() + "/b", O_RDWR);
  detach::Snapshot snap = Take();
  const detach::ScanOptions options;
  const detach::Pin* fd = PinOf(snap, holder.pid(), detach::PinKind::Fd, 5);
  const detach::Pin* dir_pin = PinOf(snap, cwd.pid(), detach::PinKind::Cwd);
  ASSERT_NE(fd, nullptr);
  ASSERT_NE(dir_pin, nullptr);
  EXPECT_FALSE(fd->detailed);
  EXPECT_EQ(fd->access, detach::Access::Unknown);
  EXPECT_EQ(detach::fd_access_now(options, *fd), detach::Access::ReadWrite);
  EXPECT_TRUE(detach::still_holds(options, snap.id_kind, *fd));
  EXPECT_TRUE(detach::still_holds(options, snap.id_kind, *dir_pin));

  holder.Signal(SIGUSR1);
  EXPECT_TRUE(WaitUntil([&] { return !detach::still_holds(options, snap.id_kind, *fd); }, 5s))
      << "fd 5 holds another file now";
  EXPECT_EQ(detach::fd_access_now(options, *fd), detach::Access::Read);
  cwd.Kill();
  EXPECT_FALSE(detach::still_holds(options, snap.id_kind, *dir_pin));
}

// Given a process found holding a file, we should keep it for signalling while it holds it (through its
// pidfd, which stays its own after it ended), refuse it once it holds another file there, and never give back
// a process once it ended (its pid may be another's by then).
TEST(HeldProcess, KeptWhileItHoldsWhatTheScanSawNeverOnceItDoesNot) {
  ITEST_REQUIRE_ROOT();
  TempDir dir;
  WriteFile(dir.path() + "/a", "a\n");
  WriteFile(dir.path() + "/b", "b\n");
  ChildProcess holder = SpawnSwapper(dir.path() + "/a", dir.path() + "/b", O_RDONLY);
  const pid_t pid = holder.pid();
  detach::Snapshot snap = Take();
  const detach::ScanOptions options;
  const detach::Pin* fd = PinOf(snap, pid, detach::PinKind::Fd, 5);
  ASSERT_NE(fd, nullptr);
  const std::vector<const detach::Pin*> pins{fd};

  auto held = detach::HeldProcess::open(pid, pins, options, snap.id_kind);
  ASSERT_TRUE(held) << held.error().message();
  ASSERT_TRUE(held->has_value()) << "it holds a/ as fd 5, as the scan saw";
  EXPECT_EQ((*held)->pid(), pid);
  EXPECT_TRUE((*held)->signal(0));

  holder.Signal(SIGUSR1);
  ASSERT_TRUE(WaitUntil([&] { return !detach::still_holds(options, snap.id_kind, *fd); }, 5s));
  auto moved_on = detach::HeldProcess::open(pid, pins, options, snap.id_kind);
  ASSERT_TRUE(moved_on) << moved_on.error().message();
  EXPECT_FALSE(moved_on->has_value()) << "fd 5 holds b now: not what the scan saw";

  holder.Kill();
  auto after = (*held)->signal(0);
  ASSERT_FALSE(after) << "the pidfd names the ended process, not whoever has its pid now";
  EXPECT_EQ(after.error().err, ESRCH);
  auto gone = detach::HeldProcess::open(pid, pins, options, snap.id_kind);
  EXPECT_TRUE(!gone || !gone->has_value()) << "an ended process is never given back";
  if (!gone) {
    EXPECT_EQ(gone.error().err, ESRCH);
  }
}

}  // namespace
}  // namespace itest

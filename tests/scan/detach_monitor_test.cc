// SPDX-License-Identifier: GPL-2.0-or-later
// The detach monitor on real parts: a lazy umount is reported with where it was and who pins it, and again
// when the last pinner ends.
#include "scan/detach_monitor.h"

#include "../integration/harness.h"

namespace itest {
namespace {

using detach::DetachEvent;

// Waits until the monitor reports an event of KIND for DEVICE, for at most 10 s.
std::optional<DetachEvent> NextFor(detach::DetachMonitor& monitor, DetachEvent::Kind kind,
                                   const std::string& device) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto events = monitor.next(500ms);
    if (!events) throw std::runtime_error(events.error().message());
    for (const DetachEvent& event : *events)
      if (event.kind == kind && event.mount.source == device) return event;
  }
  return std::nullopt;
}

void ExpectDetachThenRelease(detach::DetachMonitor::Mode mode, bool expect_fanotify) {
  LoopFs fs;
  auto monitor = detach::DetachMonitor::start(detach::ScanOptions{}, 200ms, mode);
  ASSERT_TRUE(monitor.has_value()) << monitor.error().message();
  EXPECT_EQ(monitor->uses_fanotify(), expect_fanotify);
  std::optional<ChildProcess> pinner(SpawnSleepWithCwd(fs.mountpoint()));
  fs.mount().Detach();
  auto detached = NextFor(*monitor, DetachEvent::Kind::Detached, fs.device());
  ASSERT_TRUE(detached.has_value()) << "no detach event for " << fs.device();
  EXPECT_EQ(detached->mount.target, fs.mountpoint());
  // The event carries the pinner as data (its pins and its task), not as text.
  ASSERT_EQ(detached->keeping.pins.size(), 1u);
  EXPECT_EQ(detached->keeping.pins[0].pid, pinner->pid());
  EXPECT_EQ(detached->keeping.pins[0].kind, detach::PinKind::Cwd);
  ASSERT_NE(detached->keeping.task(pinner->pid()), nullptr);
  EXPECT_EQ(detached->keeping.task(pinner->pid())->command, "sleep");
  pinner.reset();
  auto released = NextFor(*monitor, DetachEvent::Kind::Released, fs.device());
  ASSERT_TRUE(released.has_value()) << "no release event for " << fs.device();
  EXPECT_EQ(released->mount.target, fs.mountpoint());
}

// Given a kernel with fanotify mount events (6.15+), we should use them, and report a lazy umount as it
// happens with its former mount point and pinner, then its release.
TEST(DetachMonitor, LazyUmountIsReportedThenReleasedThroughFanotify) {
  ITEST_REQUIRE_ROOT();
  ExpectDetachThenRelease(detach::DetachMonitor::Mode::Auto, true);  // this kernel (6.18) has FAN_REPORT_MNT
}

// Given the polling fallback of kernels before 6.15, we should report the same two events.
TEST(DetachMonitor, LazyUmountIsReportedThenReleasedByPolling) {
  ITEST_REQUIRE_ROOT();
  ExpectDetachThenRelease(detach::DetachMonitor::Mode::Polling, false);
}

}  // namespace
}  // namespace itest

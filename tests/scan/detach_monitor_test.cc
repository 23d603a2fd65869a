// SPDX-License-Identifier: GPL-2.0-or-later
// The detach monitor on real parts: a lazy umount is reported with where it was and who pins it, and again
// when the last pinner ends.
#include "scan/detach_monitor.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

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

// Whether a fanotify group of this process marks the mount namespace it is in (its fdinfo says "fanotify
// mnt_ns:INODE"): from then on every detach in it is an event the monitor's listener reads.
bool OurNamespaceIsMarked() {
  struct stat ns {};
  if (stat("/proc/self/ns/mnt", &ns) != 0) return false;
  const std::string mark = "fanotify mnt_ns:" + std::to_string(ns.st_ino) + " ";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fdinfo", ec))
    if (ReadFile(entry.path()).find(mark) != std::string::npos) return true;
  return false;
}

// A child (comm "pin-race") that, from when GO exists until STOP does, mounts a tmpfs under DIR, holds its
// root open and detaches it lazily, one every millisecond or so (at most 1,000); then it writes DONE ("ok",
// or what failed) and holds them.
ChildProcess SpawnMountChurn(const std::string& dir, const std::string& go, const std::string& stop,
                             const std::string& done) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    SetCommOrFail(ready, "pin-race");
    ready.Signal();
    while (access(go.c_str(), F_OK) != 0) usleep(100);
    std::string result = "ok";
    for (int i = 0; i < 1000 && access(stop.c_str(), F_OK) != 0; ++i) {
      const std::string target = dir + "/m" + std::to_string(i);
      if (mkdir(target.c_str(), 0700) != 0 ||
          mount("detach-race", target.c_str(), "tmpfs", 0, "size=64k") != 0 ||
          open(target.c_str(), O_RDONLY | O_DIRECTORY) < 0 || umount2(target.c_str(), MNT_DETACH) != 0) {
        result = "mount, open or umount of " + target + ": " + std::strerror(errno);
        break;
      }
      usleep(1000);
    }
    WriteFile(done, result);
    PauseForever();
  });
}

// The unique mount ids of the directories PID holds open.
std::set<std::uint64_t> MountsOfOpenDirectories(pid_t pid) {
  std::set<std::uint64_t> ids;
  const std::string fds = "/proc/" + std::to_string(pid) + "/fd";
  for (const auto& entry : std::filesystem::directory_iterator(fds))
    if (std::filesystem::is_directory(entry.path())) ids.insert(UniqueMountId(entry.path()));
  return ids;
}

// Given mounts attached and lazily detached by a pinner while the monitor takes its first picture, after its
// listener marked their namespace, each should be reported as a detach: the listener saw each go, even those
// it could not describe before their detach and that the quick first look did not see attached. They are not
// mounts detached before the watch began.
TEST(DetachMonitor, MountsDetachedWhileTheFirstPictureIsTakenAreReported) {
  ITEST_REQUIRE_ROOT();
  TempDir dir;
  const std::string go = dir.path() + "/go", stop = dir.path() + "/stop", done = dir.path() + "/done";
  // Forked before the monitor's threads exist.
  ChildProcess churn = SpawnMountChurn(dir.MakeDir("mounts"), go, stop, done);
  std::optional<detach::Result<detach::DetachMonitor>> monitor;
  std::atomic<bool> started{false};
  std::thread starter([&] {
    monitor.emplace(detach::DetachMonitor::start(detach::ScanOptions{}, 200ms));
    started = true;
  });
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!started && !OurNamespaceIsMarked() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(100us);
  WriteFile(go, "");
  starter.join();
  WriteFile(stop, "");
  ASSERT_TRUE(monitor->has_value()) << monitor->error().message();
  ASSERT_TRUE((*monitor)->uses_fanotify());  // this kernel (6.18) has FAN_REPORT_MNT
  while (ReadFile(done).empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  ASSERT_EQ(ReadFile(done), "ok");
  const std::set<std::uint64_t> made = MountsOfOpenDirectories(churn.pid());
  ASSERT_FALSE(made.empty()) << "the monitor started before a test mount was made";
  std::set<std::uint64_t> missing = made;
  std::size_t unplaced = 0;
  for (auto until = std::chrono::steady_clock::now() + 20s;
       !missing.empty() && std::chrono::steady_clock::now() < until;) {
    auto events = (*monitor)->next(500ms);
    ASSERT_TRUE(events.has_value()) << events.error().message();
    for (const DetachEvent& event : *events) {
      if (event.kind != DetachEvent::Kind::Detached || missing.erase(event.mount.key) == 0) continue;
      unplaced += event.mount.target.empty() ? 1 : 0;
    }
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " of " << made.size()
                               << " mounts detached while the watch began were not reported (" << unplaced
                               << " reported had no mount point)";
}

}  // namespace
}  // namespace itest

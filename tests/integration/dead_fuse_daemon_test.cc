// SPDX-License-Identifier: GPL-2.0-or-later
// A FUSE filesystem whose daemon is stopped (SIGSTOP): anything that calls into it waits forever. Our tools
// must only use calls that never reach the fs (fdinfo, readlink, statx for the mount id with
// AT_STATX_DONT_SYNC), so they finish and still name the pinner.
#include <fcntl.h>

#include <algorithm>
#include <iterator>
#include <regex>
#include <thread>

#include "fuse_daemon.h"
#include "harness.h"
#include "kernel/block.h"
#include "scan/detach_monitor.h"
#include "scan/scan.h"

namespace itest {
namespace {

class DeadFuseDaemon : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD", "FUSE_HELLO");
    const std::string mountpoint = dir_.MakeDir("fuse");
    fuse_.emplace(mountpoint);
    pinner_.emplace(ChildProcess::Spawn([&](const ReadyPipe& ready) {
      ChdirOrFail(ready, mountpoint);
      OpenAsFdOrFail(ready, "hello", O_RDONLY, 5);
      ExecSleep(ready);
    }));
    WaitForComm(pinner_->pid(), "sleep");
    // A loop device backed by a file on the FUSE fs: LOOP_GET_STATUS64 stats that file, so every scan that
    // asks a loop device for its backing file would hang on the stopped daemon unless it is bounded.
    fuse_loop_.emplace(mountpoint + "/hello", /*read_only=*/true);
    unrelated_.emplace("ext2", 64, /*mount_now=*/false);
    // From here on, a stat inside waits on the daemon: it lets the kernel cache nothing (fuse_hello.cc).
    fuse_->Stop();
  }

  std::string ExpectedPinners() const {
    return JoinPins({PinEntry(pinner_->pid(), "sleep", "cwd, fd 5 (read)")});
  }

  TempDir dir_;
  std::optional<ChildProcess> pinner_;   // killed after the daemon: its exit flushes files through FUSE
  std::optional<LoopDevice> fuse_loop_;  // freed after the daemon is killed: its release goes through FUSE
  std::optional<FuseDaemon> fuse_;
  std::optional<LoopFs> unrelated_;
};

// Given a FUSE mount whose daemon is stopped and a process using it, we should see findmnt --detached finish
// within 10 s (and not list the still-attached FUSE mount).
TEST_F(DeadFuseDaemon, FindmntDetachedFinishes) {
  const DetachedListing listing = ListDetached(30s);
  EXPECT_FALSE(listing.run.timed_out) << listing.run.Describe();
  EXPECT_LT(listing.run.elapsed, HangBound()) << listing.run.Describe();
  EXPECT_FALSE(listing.RowWithUniqId(fuse_->unique_id()).has_value()) << listing.run.Describe();
}

// Given the same, we should see a plain findmnt (every mount, the FUSE one included) finish within 10 s.
TEST_F(DeadFuseDaemon, FullFindmntListingFinishes) {
  const RunResult all = RunCommand({Findmnt()}, 30s);
  EXPECT_FALSE(all.timed_out) << all.Describe();
  EXPECT_LT(all.elapsed, HangBound()) << all.Describe();
  EXPECT_EQ(all.exit_code, 0) << all.Describe();
}

// Given the same, we should see mkfs-guard on an unrelated loop device (no filesystem, not mounted) finish
// within 10 s with a verdict on it. (Whether "free" is right while this test holds the device open is the
// seed test's question.)
TEST_F(DeadFuseDaemon, MkfsGuardOnAnUnrelatedDeviceFinishes) {
  const RunResult guard = RunCommand({MkfsGuard(), unrelated_->device()}, 30s);
  EXPECT_FALSE(guard.timed_out) << guard.Describe();
  EXPECT_LT(guard.elapsed, HangBound()) << guard.Describe();
  EXPECT_THAT(guard.exit_code, ::testing::AnyOf(0, 1)) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out), ::testing::StartsWith(unrelated_->device() + " is ")) << guard.Describe();
  EXPECT_THAT(guard.out, ::testing::Not(::testing::HasSubstr("fuse-hello"))) << guard.Describe();
}

// Given a path on the stopped FUSE fs as the device, we should see mkfs-guard give up on it within 10 s (its
// lookup is bounded) with a one-line error, not hang in stat.
TEST_F(DeadFuseDaemon, MkfsGuardOnAPathOnTheDeadFsFinishes) {
  const RunResult guard = RunCommand({MkfsGuard(), dir_.path() + "/fuse/hello"}, 30s);
  EXPECT_FALSE(guard.timed_out) << guard.Describe();
  EXPECT_LT(guard.elapsed, HangBound()) << guard.Describe();
  EXPECT_EQ(guard.exit_code, 2) << guard.Describe();
  EXPECT_EQ(guard.err,
            "mkfs-guard: cannot look up " + dir_.path() + "/fuse/hello: its filesystem does not answer\n")
      << guard.Describe();
}

// Given mkfs -d DIR with DIR on the stopped FUSE fs and a busy device, we should see the wrapper finish
// within 10 s (DIR is no device: never looked at) and run nothing.
TEST_F(DeadFuseDaemon, MkfsGuardWrapperWithADirectoryOnTheDeadFsFinishes) {
  unrelated_->MountAt();
  const RunResult guard = RunCommand(
      {MkfsGuard(), "--", "mkfs.ext4", "-q", "-d", dir_.path() + "/fuse", unrelated_->device()}, 30s);
  EXPECT_FALSE(guard.timed_out) << guard.Describe();
  EXPECT_LT(guard.elapsed, HangBound()) << guard.Describe();
  EXPECT_EQ(guard.exit_code, 124) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out),
              ::testing::StartsWith(unrelated_->device() + " is busy: it is mounted at "))
      << guard.Describe();
}

// Given the FUSE mount lazily detached while its daemon is stopped, we should see findmnt --detached finish
// within 10 s and list it with the pinner's cwd and fd (its fs type may stay unknown: asking the fs would
// hang).
TEST_F(DeadFuseDaemon, DetachedFuseMountIsListedWithItsPinner) {
  fuse_->Detach();
  const DetachedListing listing = ListDetached(30s);
  EXPECT_FALSE(listing.run.timed_out) << listing.run.Describe();
  EXPECT_LT(listing.run.elapsed, HangBound()) << listing.run.Describe();
  const std::optional<nlohmann::json> row = listing.RowWithUniqId(fuse_->unique_id());
  ASSERT_TRUE(row.has_value()) << "no row with uniq-id " << fuse_->unique_id() << "\n"
                               << listing.run.Describe();
  EXPECT_EQ(PinnersOf(*row), ExpectedPinners());
  // Its options could not be asked for: said, with why, instead of an empty cell without a word.
  EXPECT_THAT(listing.run.err,
              ::testing::ContainsRegex("detached mount " + std::to_string(fuse_->unique_id()) +
                                       "( \\(fuse\\))? could not be probed: its filesystem "
                                       "did not answer in time"))
      << listing.run.Describe();
}

// Given six such detached FUSE mounts, we should probe them side by side: one bound for all, not one each.
TEST_F(DeadFuseDaemon, SeveralDeadDetachedMountsCostOneBound) {
  // Five bind mounts of the dead fs (a path walk into its root asks the daemon nothing), each pinned by an
  // O_PATH fd of this process, then every mount of it detached: six detached mounts to probe.
  std::vector<Mount> binds;
  std::vector<UniqueFd> pins;
  for (int i = 0; i < 5; ++i) {
    const std::string at = dir_.MakeDir("bind" + std::to_string(i));
    binds.push_back(Mount::Bind(fuse_->mountpoint(), at));
    pins.emplace_back(open(at.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(pins.back().valid()) << at;
  }
  for (Mount& bind : binds) bind.Detach();
  fuse_->Detach();
  const DetachedListing listing = ListDetached(30s);
  EXPECT_FALSE(listing.run.timed_out) << listing.run.Describe();
  EXPECT_LT(listing.run.elapsed, HangBound()) << listing.run.Describe();
  // Each of ours said once (another dead detached mount the host has, or a scenario beside this one, is its
  // own line).
  std::vector<std::uint64_t> ids{fuse_->unique_id()};
  for (const Mount& bind : binds) ids.push_back(bind.unique_id());
  for (const std::uint64_t id : ids) {
    const std::regex said("detached mount " + std::to_string(id) + "( \\(fuse\\))? could not be probed");
    const auto lines = std::distance(
        std::sregex_iterator(listing.run.err.begin(), listing.run.err.end(), said), std::sregex_iterator());
    EXPECT_EQ(lines, 1) << "mount " << id << "\n" << listing.run.Describe();
  }
}

// Given a watcher whose first snapshot is slow (a loop device backed by a file on the dead FUSE fs costs it
// its 2 s bound), and a filesystem mounted, pinned and lazily unmounted within that time, we should still see
// the detach reported with its former mount point: the mount is described as its attach is told.
TEST_F(DeadFuseDaemon, WatcherKeepsTheFormerMountPointOfAQuickDetach) {
  const std::string out = dir_.path() + "/poll.out";
  ChildProcess watcher = ChildProcess::Spawn([&](const ReadyPipe& ready) {
    OpenAsFdOrFail(ready, out, O_WRONLY | O_CREAT | O_TRUNC, 1);
    // A watcher with stdin or stderr closed would hand those numbers to the first files it opens.
    OpenAsFdOrFail(ready, "/dev/null", O_RDONLY, 0);
    OpenAsFdOrFail(ready, out + ".err", O_WRONLY | O_CREAT | O_TRUNC, 2);
    const std::string findmnt = Findmnt();
    execl(findmnt.c_str(), "findmnt", "--detached", "--poll", "-w", "20000", "-r", "-n", "-o",
          "ACTION,TARGET", static_cast<char*>(nullptr));
    ready.Fail("exec " + findmnt);
  });
  ASSERT_TRUE(WaitUntil([&] { return HoldsFanotify(watcher.pid()); }, 10s))
      << "the watcher opened no fanotify group";
  LoopFs quick("ext2", 16, true, "quick");
  ChildProcess pinner = SpawnSleepWithCwd(quick.mountpoint());
  // Well within the watcher's 2 s snapshot, but time for its listener thread on a loaded machine.
  std::this_thread::sleep_for(300ms);
  quick.mount().Detach();
  const std::string expected = "detach " + quick.mountpoint() + "\n";
  // Its first snapshot waits out the bound (longer where DETACH_FS_TIMEOUT_MS stretches it: a sanitized
  // build's tests); the one after the event does not ask that loop device again.
  EXPECT_TRUE(
      WaitUntil([&] { return ReadFile(out).find(expected) != std::string::npos; }, 15s * FsTimeoutStretch()))
      << "watcher output:\n"
      << ReadFile(out);
}

// Given a loop device backed by a file on the dead fs, we should see the watcher's first snapshot find that
// it does not answer, and the watcher remember it, so that its next snapshots do not wait out the bound for
// it again (it is asked again after 30 s).
TEST_F(DeadFuseDaemon, WatcherRemembersALoopDeviceThatDoesNotAnswer) {
  std::optional<detach::LoopDevice> ours;
  for (detach::LoopDevice& loop : detach::read_loop_devices("/sys", "/dev", /*live=*/false))
    if ("/dev/" + loop.name == fuse_loop_->path()) ours = std::move(loop);
  ASSERT_TRUE(ours) << fuse_loop_->path() << " is not in sysfs";
  auto monitor =
      detach::DetachMonitor::start(detach::ScanOptions{}, 200ms, detach::DetachMonitor::Mode::Polling);
  ASSERT_TRUE(monitor) << monitor.error().message();
  const auto now = detach::UnresponsiveBackings::Clock::now();
  EXPECT_FALSE(monitor->unresponsive_backings().ask(*ours, now)) << "not asked again at once";
  EXPECT_TRUE(monitor->unresponsive_backings().ask(*ours, now + 30s)) << "asked again after 30 s";
  auto events = monitor->next(300ms);
  ASSERT_TRUE(events) << events.error().message();
  EXPECT_FALSE(monitor->unresponsive_backings().ask(*ours, detach::UnresponsiveBackings::Clock::now()))
      << "a refresh that skipped it still remembers it";
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's own pins on a FUSE filesystem whose daemon is stopped: a ring's registered file, a file in
// flight over a unix socket pair, and a unix socket bound inside it. Each of the census's sources (the ring's
// fdinfo and its path placement, the sockets' fdinfo, sock_diag; the BPF source's ring table and socket
// queues) must finish without calling into the dead filesystem, and the tools must still name what holds it,
// as certain only what the kernel states.
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstdlib>

#include "fuse_daemon.h"
#include "harness.h"
#include "pinners.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class DeadFuseKernelPins : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD", "FUSER", "UMOUNT", "FUSE_HELLO");
    // The tools run as children of this test, in its environment.
    ASSERT_EQ(setenv("DETACH_SCAN_SOURCE", Source(), 1), 0);
    mountpoint_ = dir_.MakeDir("fuse");
    fuse_.emplace(mountpoint_);
    struct stat root {};
    ASSERT_EQ(stat(mountpoint_.c_str(), &root), 0) << mountpoint_;
    fuse_dev_ = std::to_string(major(root.st_dev)) + ":" + std::to_string(minor(root.st_dev));
    ring_.emplace(SpawnRingHolding(mountpoint_ + "/hello"));
    sender_.emplace(SpawnFileInFlight(mountpoint_ + "/hello"));
    socket_.emplace(SpawnBoundSocket(mountpoint_ + "/sock"));
    // From here on, a lookup or stat inside waits on the daemon: it lets the kernel cache nothing
    // (fuse_hello.cc).
    fuse_->Stop();
  }
  void TearDown() override { unsetenv("DETACH_SCAN_SOURCE"); }
  virtual const char* Source() const { return "proc"; }

  // Runs a tool and checks that it finished within the hang bound.
  RunResult Finished(const std::vector<std::string>& argv) const {
    RunResult run = RunCommand(argv, 30s);
    EXPECT_FALSE(run.timed_out) << run.Describe();
    EXPECT_LT(run.elapsed, HangBound()) << run.Describe();
    return run;
  }

  // findmnt --detached -J, checked to finish within the hang bound.
  DetachedListing ListedInTime() const {
    DetachedListing listing = ListDetached(30s);
    EXPECT_FALSE(listing.run.timed_out) << listing.run.Describe();
    EXPECT_LT(listing.run.elapsed, HangBound()) << listing.run.Describe();
    return listing;
  }

  // The row of the FUSE mount's superblock, by its (anonymous) device.
  std::optional<nlohmann::json> RowOfTheFuseMount(const DetachedListing& listing) const {
    if (!listing.doc || !listing.doc->contains("filesystems")) return std::nullopt;
    for (const nlohmann::json& row : (*listing.doc)["filesystems"])
      if (Text(row, "maj:min") == fuse_dev_) return row;
    return std::nullopt;
  }

  // "1234 (pin-ring) io_uring fd 3 (registered file PATH)" and the others, as the PINNERS column has them.
  std::string RingHow(const std::string& path) const {
    return "io_uring fd " + std::to_string(ring_->ready_value()) + " (registered file " + path + ")";
  }
  std::string SocketHow() const {
    return "socket fd " + std::to_string(socket_->ready_value()) + " (bound to " + mountpoint_ + "/sock)";
  }

  TempDir dir_;
  std::string mountpoint_;
  std::string fuse_dev_;  // "0:N"
  // Killed after the daemon: their exits release files through FUSE.
  std::optional<ChildProcess> ring_;
  std::optional<ChildProcess> sender_;
  std::optional<ChildProcess> socket_;
  std::optional<FuseDaemon> fuse_;
};

// The same through the BPF source, which reads the ring's file table (no path to place).
class DeadFuseKernelPinsReadByBpf : public DeadFuseKernelPins {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_BPF_SOURCE_BUILT();
    DeadFuseKernelPins::SetUp();
  }
  const char* Source() const override { return "bpf"; }
};

// Given the three pins on the attached dead FUSE mount, fuser -mv on its mount point should finish and name
// the bound socket's process (the ring's file is placed by its path, in a bounded lookup that the dead daemon
// makes fail: then it is a "may", never printed as a user of the mount).
TEST_F(DeadFuseKernelPins, FuserOnTheAttachedMountFinishesAndNamesTheSocket) {
  const RunResult run = Finished({Fuser(), "-mv", mountpoint_});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_THAT(PidsPrinted(run.out), ::testing::Contains(socket_->pid())) << run.Describe();
  EXPECT_THAT(PidsPrinted(run.out), ::testing::Not(::testing::Contains(sender_->pid()))) << run.Describe();
}

// Given the same read by BPF, the ring's table and the receiving socket's queue name the mount: fuser -mv
// names the ring's process and the sender (who holds the receiving end) too.
TEST_F(DeadFuseKernelPinsReadByBpf, FuserOnTheAttachedMountFinishesAndNamesTheSocketTheRingAndTheSender) {
  const RunResult run = Finished({Fuser(), "-mv", mountpoint_});
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  EXPECT_THAT(PidsPrinted(run.out),
              ::testing::UnorderedElementsAre(socket_->pid(), ring_->pid(), sender_->pid()))
      << run.Describe();
}

// Given the same, umount of the mount point should finish, fail as busy, and name the bound socket.
TEST_F(DeadFuseKernelPins, UmountFinishesAndNamesTheSocket) {
  const RunResult umount = Finished({Umount(), mountpoint_});
  EXPECT_EQ(umount.exit_code, 32) << umount.Describe();
  EXPECT_THAT(umount.err, HasSubstr(mountpoint_ + ": target is busy.")) << umount.Describe();
  EXPECT_THAT(umount.err, HasSubstr(PinEntry(socket_->pid(), "pin-sock", SocketHow()))) << umount.Describe();
}

// Given the three holders ended, umount of the idle dead mount should finish and unmount it (exit 0, silent),
// where util-linux's waits forever in its first stat of the target.
TEST_F(DeadFuseKernelPins, UmountOfTheIdleDeadMountFinishesAndUnmountsIt) {
  ring_.reset();
  sender_.reset();
  socket_.reset();
  const RunResult umount = Finished({Umount(), mountpoint_});
  EXPECT_EQ(umount.exit_code, 0) << umount.Describe();
  EXPECT_EQ(umount.err, "") << umount.Describe();
  EXPECT_THAT(ReadFile("/proc/self/mountinfo"), ::testing::Not(HasSubstr(" " + mountpoint_ + " ")))
      << umount.Describe();
}

// Given the dead FUSE mount lazily detached, findmnt --detached should finish and list it with the bound
// socket as certain: sock_diag states the socket file's device. No process pin reaches the mount, so /proc
// knows it only as its superblock, found by that device. Nothing else is blamed for certain: the ring's file
// is a path that resolves nowhere now, the sender's file in flight a count.
TEST_F(DeadFuseKernelPins, TheDetachedMountIsListedWithTheSocketAsCertain) {
  fuse_->Detach();
  const DetachedListing listing = ListedInTime();
  const std::optional<nlohmann::json> row = RowOfTheFuseMount(listing);
  ASSERT_TRUE(row.has_value()) << listing.run.Describe();
  const nlohmann::json socket = PinnerOf(*row, socket_->pid());
  ASSERT_FALSE(socket.is_null()) << row->dump(2);
  EXPECT_EQ(socket["certain"], true) << row->dump(2);
  EXPECT_EQ(Text(socket, "how"), SocketHow()) << row->dump(2);
  for (const pid_t pid : {ring_->pid(), sender_->pid()}) {
    const nlohmann::json other = PinnerOf(*row, pid);
    EXPECT_TRUE(other.is_null() || other["certain"] == false) << pid << "\n" << row->dump(2);
  }
}

// Given the same read by BPF, the ring's file table names the dead mount: it is listed as that mount (its
// unique id), and the ring and the sender (its receiving socket's queue) hold it for certain too.
TEST_F(DeadFuseKernelPinsReadByBpf, TheDetachedMountIsHeldByTheRingTheSocketAndTheSenderForCertain) {
  fuse_->Detach();
  const DetachedListing listing = ListedInTime();
  const std::optional<nlohmann::json> row = RowOfTheFuseMount(listing);
  ASSERT_TRUE(row.has_value()) << listing.run.Describe();
  EXPECT_EQ(UniqIdOf(*row), fuse_->unique_id()) << row->dump(2);
  for (const pid_t pid : {socket_->pid(), ring_->pid(), sender_->pid()}) {
    const nlohmann::json pinner = PinnerOf(*row, pid);
    ASSERT_FALSE(pinner.is_null()) << pid << "\n" << row->dump(2);
    EXPECT_EQ(pinner["certain"], true) << row->dump(2);
  }
  EXPECT_EQ(Text(PinnerOf(*row, ring_->pid()), "how"), RingHow("/hello")) << row->dump(2);
}

// Given the socket's process ended, only the ring and the sender hold the detached dead mount: no process
// pin reaches it, it has no device, and /proc gives the ring's file as a path that resolves nowhere and the
// sender's as a count. The scan should finish and blame neither for certain, on any row.
TEST_F(DeadFuseKernelPins, WithOnlyThePathsAndCountsLeftNothingIsBlamedForCertain) {
  socket_.reset();
  fuse_->Detach();
  const DetachedListing listing = ListedInTime();
  if (!listing.doc) return;  // nothing listed (exit 1, no output): nothing blamed
  for (const nlohmann::json& row : (*listing.doc)["filesystems"]) {
    for (const pid_t pid : {ring_->pid(), sender_->pid()}) {
      const nlohmann::json pinner = PinnerOf(row, pid);
      EXPECT_TRUE(pinner.is_null() || pinner["certain"] == false) << pid << "\n" << row.dump(2);
    }
  }
}

// Given the same read by BPF: the ring's table names the mount, so it is listed, as that mount, held by the
// ring for certain, and by the sender, whose receiving socket's queue holds a file of it.
TEST_F(DeadFuseKernelPinsReadByBpf, WithOnlyTheRingAndTheSenderLeftBothAreNamedForCertain) {
  socket_.reset();
  fuse_->Detach();
  const DetachedListing listing = ListedInTime();
  const std::optional<nlohmann::json> row = RowOfTheFuseMount(listing);
  ASSERT_TRUE(row.has_value()) << listing.run.Describe();
  EXPECT_EQ(UniqIdOf(*row), fuse_->unique_id()) << row->dump(2);
  const nlohmann::json ring = PinnerOf(*row, ring_->pid());
  ASSERT_FALSE(ring.is_null()) << row->dump(2);
  EXPECT_EQ(ring["certain"], true) << row->dump(2);
  EXPECT_EQ(Text(ring, "how"), RingHow("/hello")) << row->dump(2);
  const nlohmann::json sender = PinnerOf(*row, sender_->pid());
  ASSERT_FALSE(sender.is_null()) << row->dump(2);
  EXPECT_EQ(sender["certain"], true) << row->dump(2);
}

// Given the same, fuser --detached -v (every detached filesystem: this one has no device to name it by)
// should finish and list the bound socket's process as using it.
TEST_F(DeadFuseKernelPins, FuserDetachedFinishesAndNamesTheSocket) {
  fuse_->Detach();
  const RunResult listing = Finished({Fuser(), "--detached", "-v"});
  EXPECT_THAT(PidsPrinted(listing.out), ::testing::Contains(socket_->pid())) << listing.Describe();
  EXPECT_THAT(listing.err, HasSubstr(" f.... pin-sock: " + SocketHow())) << listing.Describe();
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// An AF_UNIX socket bound to a path in the filesystem holds that path (and its mount), however its process
// holds no fd on the filesystem. sock_diag gives the device and inode of the bound socket file, and the
// socket's inode ties it to the process's fd: a certain pin, before and after a lazy umount.
#include <unistd.h>

#include "harness.h"
#include "pinners.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class BoundSocket : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD", "UMOUNT", "FUSER");
    fs_.emplace("ext4");
    server_.emplace(SpawnBoundSocket(fs_->File("sock")));
  }
  std::string Entry() const {
    return PinEntry(
        server_->pid(), "pin-sock",
        "socket fd " + std::to_string(server_->ready_value()) + " (bound to " + fs_->File("sock") + ")");
  }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> server_;
};

// Given the bound socket on a mounted fs, umount fails and names the socket's process.
TEST_F(BoundSocket, UmountNamesTheBoundSocket) {
  const RunResult umount = RunCommand({Umount(), fs_->mountpoint()});
  EXPECT_EQ(umount.exit_code, 32) << umount.Describe();
  EXPECT_THAT(umount.err, HasSubstr(fs_->mountpoint() + " is pinned by " + Entry())) << umount.Describe();
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_THAT(guard.out, HasSubstr("pinned by: " + Entry())) << guard.Describe();
}

// Given it lazily unmounted: findmnt --detached, mkfs-guard, fuser -m and fuser --detached -v name the
// process and its socket, as certain.
TEST_F(BoundSocket, TheDetachedFilesystemNamesTheBoundSocket) {
  fs_->mount().Detach();
  const DetachedListing listing = ListDetached();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_EQ(PinnersOf(rows[0]), Entry());
  EXPECT_EQ(rows[0]["pinners"][0]["certain"], true);

  // The socket is known by device and inode (sock_diag), so its filesystem by its device only: no mount of it
  // is seen, and nothing recorded the detach.
  const nlohmann::json reason =
      ExpectGuardNamesCertainPinnerOfDetached(fs_->device(), Entry(), server_->pid(), "bound-socket");
  EXPECT_EQ(Pinners(reason).size(), 1u) << reason.dump(2);

  const RunResult fuser = RunCommand({Fuser(), "-m", fs_->device()});
  // (and this test, which holds the loop device open)
  EXPECT_THAT(PidsPrinted(fuser.out), ::testing::Contains(server_->pid())) << fuser.Describe();
  const RunResult detached = RunCommand({Fuser(), "--detached", "-v", fs_->device()});
  EXPECT_THAT(detached.err, HasSubstr(" f.... pin-sock: socket fd " + std::to_string(server_->ready_value())))
      << detached.Describe();
}

}  // namespace
}  // namespace itest

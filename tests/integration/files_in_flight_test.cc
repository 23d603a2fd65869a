// SPDX-License-Identifier: GPL-2.0-or-later
// A file of the filesystem sent over a unix socket with SCM_RIGHTS and never received, its sender's fd
// closed: the message in the receiving socket's queue holds the file, and no /proc link shows it. The
// socket's fdinfo says only how many files wait there (scm_fds), not which: its holder MAY hold the
// filesystem, and the tools say exactly that: that is the /proc source's view (DETACH_SCAN_SOURCE=proc here).
// The BPF source reads the queued message's own list of files, which names each file's mount: the
// filesystem held for certain.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

#include "harness.h"
#include "pinners.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

// The parameter: the sockets in our network namespace, in one of their own (a container's), or made there and
// held from ours. /proc says the same of each; the BPF source opens its iterator in the sockets' own
// namespace.
class FilesInFlight : public ::testing::TestWithParam<SocketsNetns> {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD", "UMOUNT", "FUSER");
    // The tools run as children of this test, in its environment.
    ASSERT_EQ(setenv("DETACH_SCAN_SOURCE", Source(), 1), 0);
    fs_.emplace("ext4");
    WriteFile(fs_->File("sent"), "in flight\n");
    sender_.emplace(SpawnFilesInFlight({fs_->File("sent")}, GetParam()));
  }
  std::string Entry() const {
    return PinEntry(sender_->pid(), "pin-flight",
                    "socket fd " + std::to_string(sender_->ready_value()) + " (1 file in flight)");
  }

  void TearDown() override { unsetenv("DETACH_SCAN_SOURCE"); }
  virtual const char* Source() const { return "proc"; }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> sender_;
};

// The same through the BPF source, which reads the socket's queue.
class FilesInFlightReadByBpf : public FilesInFlight {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_BPF_SOURCE_BUILT();
    FilesInFlight::SetUp();
  }
  const char* Source() const override { return "bpf"; }
};

// Given the file in flight on a mounted fs, umount fails, and with nothing else seen pinning the mount it
// names the socket as what may.
TEST_P(FilesInFlight, UmountNamesTheSocketAsWhatMayPinIt) {
  const RunResult umount = RunCommand({Umount(), fs_->mountpoint()});
  EXPECT_EQ(umount.exit_code, 32) << umount.Describe();
  EXPECT_THAT(umount.err, HasSubstr("nothing the scan sees pins it; it may be held by "))
      << umount.Describe();
  EXPECT_THAT(umount.err, HasSubstr(Entry())) << umount.Describe();
}

// Given it lazily unmounted: the filesystem lives on mounted nowhere; findmnt --detached, mkfs-guard and
// fuser name the socket as what may hold it, and none of them as certain.
TEST_P(FilesInFlight, TheDetachedFilesystemNamesTheSocketAsMay) {
  fs_->mount().Detach();
  ASSERT_FALSE(DeviceIsFree(fs_->device()));
  const DetachedListing listing = ListDetached();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  const nlohmann::json pinner = PinnerOf(rows[0], sender_->pid());
  ASSERT_FALSE(pinner.is_null()) << rows[0].dump();
  EXPECT_EQ(pinner["certain"], false);
  EXPECT_EQ(pinner["pins"][0]["count"], 1);

  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_THAT(SuspectsLine(guard.out), HasSubstr(Entry())) << guard.Describe();
  const RunResult json = RunCommand({MkfsGuard(), "-J", fs_->device()});
  const std::optional<nlohmann::json> doc = ParseJson(json.out);
  ASSERT_TRUE(doc.has_value()) << json.Describe();
  const nlohmann::json reason = Reasons(*doc)[0];
  EXPECT_EQ(Text(reason, "kind"), "detached-mount") << doc->dump(2);
  EXPECT_TRUE(reason["pinners"].empty()) << doc->dump(2);  // nothing certain
  bool named = false;
  for (const nlohmann::json& suspect : reason["suspects"]) {
    // (Other scenarios' unplaced pins may be candidates too: a swap file has no pid.)
    if (suspect.value("pid", nlohmann::json()) != sender_->pid()) continue;
    named = true;
    EXPECT_EQ(suspect["certain"], false) << doc->dump(2);
    EXPECT_EQ(Text(suspect["pins"][0], "kind"), "files-in-flight") << doc->dump(2);
  }
  EXPECT_TRUE(named) << doc->dump(2);

  const RunResult fuser = RunCommand({Fuser(), "--detached", "-v", fs_->device()});
  EXPECT_THAT(fuser.err, HasSubstr(": nothing the scan sees holds it; it may be held by "))
      << fuser.Describe();
  EXPECT_THAT(fuser.err, HasSubstr(Entry())) << fuser.Describe();
}

// Given the file in flight on a mounted fs, read by the BPF source: umount fails and names the socket as
// what pins the mount, for certain, as it names a process's open file.
TEST_P(FilesInFlightReadByBpf, UmountNamesTheSocketAsWhatPinsIt) {
  const RunResult umount = RunCommand({Umount(), fs_->mountpoint()});
  EXPECT_EQ(umount.exit_code, 32) << umount.Describe();
  EXPECT_THAT(umount.err, HasSubstr(fs_->mountpoint() + ": target is busy.")) << umount.Describe();
  EXPECT_THAT(umount.err, HasSubstr(fs_->mountpoint() + " is pinned by " + Entry())) << umount.Describe();
  EXPECT_THAT(umount.err, ::testing::Not(HasSubstr("may be held by"))) << umount.Describe();
}

// Given it lazily unmounted, read by the BPF source: findmnt --detached, mkfs-guard (text and JSON) and
// fuser -v name the socket's holder as what holds the filesystem, for certain.
TEST_P(FilesInFlightReadByBpf, TheDetachedFilesystemIsHeldByTheSocketForCertain) {
  fs_->mount().Detach();
  const DetachedListing listing = ListDetached();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  const nlohmann::json pinner = PinnerOf(rows[0], sender_->pid());
  ASSERT_FALSE(pinner.is_null()) << rows[0].dump();
  EXPECT_EQ(pinner["certain"], true) << pinner.dump();
  EXPECT_EQ(PinnersOf(rows[0]), Entry()) << rows[0].dump();

  const nlohmann::json reason =
      ExpectGuardNamesCertainPinnerOfDetached(fs_->device(), Entry(), sender_->pid(), "files-in-flight");
  EXPECT_EQ(PinnerOf(reason, sender_->pid())["pins"][0]["count"], 1) << reason.dump(2);

  const RunResult fuser = RunCommand({Fuser(), "--detached", "-v", fs_->device()});
  EXPECT_THAT(PidsPrinted(fuser.out), ::testing::Contains(sender_->pid())) << fuser.Describe();
  EXPECT_THAT(fuser.err, ::testing::Not(HasSubstr("may be held by"))) << fuser.Describe();
}

std::string NetworkNamespaceName(const ::testing::TestParamInfo<SocketsNetns>& info) {
  switch (info.param) {
    case SocketsNetns::Ours:
      return "SocketsInOurNetworkNamespace";
    case SocketsNetns::Other:
      return "SocketsInAnotherNetworkNamespace";
    case SocketsNetns::OtherHeldFromOurs:
      return "SocketsInAnotherNetworkNamespaceHeldFromOurs";
  }
  return "";
}
const auto kEachNetns =
    ::testing::Values(SocketsNetns::Ours, SocketsNetns::Other, SocketsNetns::OtherHeldFromOurs);
INSTANTIATE_TEST_SUITE_P(Netns, FilesInFlight, kEachNetns, NetworkNamespaceName);
INSTANTIATE_TEST_SUITE_P(Netns, FilesInFlightReadByBpf, kEachNetns, NetworkNamespaceName);

}  // namespace
}  // namespace itest

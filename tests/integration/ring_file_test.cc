// SPDX-License-Identifier: GPL-2.0-or-later
// A file registered with an io_uring ring (IORING_REGISTER_FILES) whose process closed its own fd: the ring
// holds the file, so the filesystem is busy and, lazily unmounted, lives on, while the process's /proc links
// show nothing of it. The ring's fdinfo names the file by path only: attached, the path places it; detached,
// it is a path inside the detached tree that resolves nowhere, so the ring MAY hold the filesystem, and the
// tools say so, never more: that is the /proc source's view (DETACH_SCAN_SOURCE=proc here). The BPF source
// reads the ring's own file table, which names the file's mount: the filesystem held for certain.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

#include "harness.h"
#include "pinners.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class RingFile : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD", "UMOUNT", "FUSER");
    // The tools run as children of this test, in its environment.
    ASSERT_EQ(setenv("DETACH_SCAN_SOURCE", Source(), 1), 0);
    fs_.emplace("ext4");
    WriteFile(fs_->File("ringfile"), "registered\n");
    ring_.emplace(SpawnRingHolding(fs_->File("ringfile")));
  }
  // "1234 (pin-ring) io_uring fd 3 (registered file PATH)"
  std::string Entry(const std::string& path) const {
    return PinEntry(
        ring_->pid(), "pin-ring",
        "io_uring fd " + std::to_string(ring_->ready_value()) + " (registered file " + path + ")");
  }

  void TearDown() override { unsetenv("DETACH_SCAN_SOURCE"); }
  virtual const char* Source() const { return "proc"; }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> ring_;
};

// The same through the BPF source, which reads the ring's file table.
class RingFileReadByBpf : public RingFile {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_BPF_SOURCE_BUILT();
    RingFile::SetUp();
  }
  const char* Source() const override { return "bpf"; }
};

// Given the ring on a mounted fs, umount should fail as util-linux's does and name the ring as what pins it.
TEST_F(RingFile, UmountNamesTheRingAsWhatPinsIt) {
  const RunResult umount = RunCommand({Umount(), fs_->mountpoint()});
  EXPECT_EQ(umount.exit_code, 32) << umount.Describe();
  EXPECT_THAT(umount.err, HasSubstr(fs_->mountpoint() + ": target is busy.")) << umount.Describe();
  EXPECT_THAT(umount.err, HasSubstr(fs_->mountpoint() + " is pinned by " + Entry(fs_->File("ringfile"))))
      << umount.Describe();
}

// Given the same, mkfs-guard and fuser -v should name the process and its ring.
TEST_F(RingFile, MkfsGuardAndFuserNameTheRingWhileMounted) {
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr("pinned by: " + Entry(fs_->File("ringfile")))) << guard.Describe();
  const RunResult fuser = RunCommand({Fuser(), "-mv", fs_->device()});
  EXPECT_EQ(fuser.exit_code, 0) << fuser.Describe();
  EXPECT_THAT(PidsPrinted(fuser.out), ::testing::Contains(ring_->pid())) << fuser.Describe();
  EXPECT_THAT(fuser.err, HasSubstr(" f.... pin-ring")) << fuser.Describe();
}

// Given the ring's fs lazily unmounted, the filesystem lives on (mkfs is refused) and is mounted nowhere:
// findmnt --detached lists it, and its only pinner is the ring, said as "may".
TEST_F(RingFile, FindmntDetachedListsTheFilesystemWithTheRingAsMay) {
  fs_->mount().Detach();
  ASSERT_FALSE(DeviceIsFree(fs_->device()));
  const DetachedListing listing = ListDetached();
  ASSERT_EQ(listing.run.exit_code, 0) << listing.run.Describe();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  // Nothing else may hold it but what the scan could not place: on a shared machine, others' too.
  const nlohmann::json pinner = PinnerOf(rows[0], ring_->pid());
  ASSERT_FALSE(pinner.is_null()) << rows[0].dump();
  EXPECT_EQ(pinner["certain"], false) << pinner.dump();
  for (const nlohmann::json& p : rows[0]["pinners"]) EXPECT_EQ(p["certain"], false) << p.dump();
  EXPECT_EQ(Text(pinner, "how"),
            "io_uring fd " + std::to_string(ring_->ready_value()) + " (registered file /ringfile)");
  const RunResult table = RunCommand({Findmnt(), "--detached", "-l", "-o", "SOURCE,PID,HOW"});
  EXPECT_THAT(table.out, HasSubstr("may: io_uring fd ")) << table.Describe();
}

// Given the same, mkfs-guard should say the filesystem lives mounted nowhere and that the ring may hold it,
// in text and JSON, and never that it is held for certain.
TEST_F(RingFile, MkfsGuardSaysTheRingMayHoldTheDetachedFilesystem) {
  fs_->mount().Detach();
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), fs_->device() +
                                      " is busy: it holds an ext4 filesystem that is mounted nowhere, yet "
                                      "still alive: nothing the scan sees holds it")
      << guard.Describe();
  EXPECT_THAT(SuspectsLine(guard.out), HasSubstr(Entry("/ringfile"))) << guard.Describe();
  const RunResult json = RunCommand({MkfsGuard(), "-J", fs_->device()});
  const std::optional<nlohmann::json> doc = ParseJson(json.out);
  ASSERT_TRUE(doc.has_value()) << json.Describe();
  // The detached filesystem, then the note of this test's own fd on the loop device.
  const nlohmann::json reasons = Reasons(*doc);
  ASSERT_EQ(reasons.size(), 2u) << doc->dump(2);
  EXPECT_EQ(Text(reasons[0], "kind"), "detached-mount");
  EXPECT_EQ(reasons[0]["pinners"], nlohmann::json::array()) << doc->dump(2);
  const nlohmann::json suspect = PinnerOf(reasons[0], ring_->pid(), "suspects");
  ASSERT_FALSE(suspect.is_null()) << doc->dump(2);
  EXPECT_EQ(suspect["certain"], false);
  EXPECT_EQ(suspect["pins"][0]["kind"], "io_uring-file");
  EXPECT_EQ(Text(reasons[1], "kind"), "opened-by");
}

// Given the same, fuser --detached -v shows the filesystem and says, as a note, that the ring may hold it;
// -k ends no one it is not sure of.
TEST_F(RingFile, FuserDetachedNotesTheRingAndKillsNobody) {
  fs_->mount().Detach();
  const RunResult fuser = RunCommand({Fuser(), "--detached", "-v", fs_->device()});
  // psmisc prints "kernel" on stdout, the rest of its line on stderr.
  EXPECT_THAT(fuser.err, HasSubstr(FuserNameColumn(fs_->device()) +
                                   "root      mount (ext4, detached; mount point not recorded)"))
      << fuser.Describe();
  EXPECT_THAT(fuser.err,
              HasSubstr("fuser: " + fs_->device() + ": nothing the scan sees holds it; it may be held by "))
      << fuser.Describe();
  EXPECT_THAT(fuser.err, HasSubstr(Entry("/ringfile"))) << fuser.Describe();
  const RunResult kill = RunCommand({Fuser(), "--detached", "-k", fs_->device()});
  EXPECT_EQ(TaskState(ring_->pid()) == '?', false) << "fuser -k ended a process it was not sure of";
  EXPECT_THAT(PidsPrinted(kill.out), Not(::testing::Contains(ring_->pid()))) << kill.Describe();
}

// Given the ring's fs lazily unmounted, read by the BPF source: the ring's table names the file's mount, a
// detached mount, so findmnt --detached and mkfs-guard name the ring as what holds the filesystem, for
// certain, and say it was lazily unmounted, in text and JSON.
TEST_F(RingFileReadByBpf, TheDetachedFilesystemIsHeldByTheRingForCertain) {
  fs_->mount().Detach();
  const DetachedListing listing = ListDetached();
  ASSERT_EQ(listing.run.exit_code, 0) << listing.run.Describe();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  const nlohmann::json pinner = PinnerOf(rows[0], ring_->pid());
  ASSERT_FALSE(pinner.is_null()) << rows[0].dump();
  EXPECT_EQ(pinner["certain"], true) << pinner.dump();
  EXPECT_EQ(PinnersOf(rows[0]), Entry("/ringfile")) << rows[0].dump();

  // The ring's file led the scan to the detached mount itself.
  ExpectGuardNamesCertainPinnerOfDetached(fs_->device(), Entry("/ringfile"), ring_->pid(), "io_uring-file",
                                          /*as_itself=*/true);
}

}  // namespace
}  // namespace itest

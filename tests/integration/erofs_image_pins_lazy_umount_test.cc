// SPDX-License-Identifier: GPL-2.0-or-later
// erofs mounted from an image file on a loop-mounted ext4 M (file-backed, no loop device: Linux 6.12+) at E.
// The kernel holds the image open, on M: a plain umount of M is busy because of it, and after umount -l M the
// filesystem lives on, held by the erofs mount. Every tool names it: umount (busy and lives-on), findmnt
// --detached, mkfs-guard (text and -J), fuser -v.
#include <sys/mount.h>
#include <unistd.h>

#include "reason_kinds.h"
#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ErofsImageOnALoopFs : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT", "FUSER", "MKFS_GUARD");
    EnterPrivateMountNamespace();
    fs_.emplace("ext4");
    const std::string content = fs_->dir().MakeDir("content");
    WriteFile(content + "/hello", "hello\n");
    image_ = fs_->File("image.erofs");
    RunOrThrow({"mkfs.erofs", "--quiet", image_, content});
    erofs_at_ = fs_->dir().MakeDir("e");
    // mount(2) itself: util-linux's mount would set up a loop device for a regular file.
    erofs_.emplace(image_, erofs_at_, "erofs", MS_RDONLY);
  }

  std::string ErofsWords(const std::string& how) const {
    return "file-backed mount " + erofs_at_ + " (backing file " + image_ + how + ")";
  }

  std::optional<LoopFs> fs_;
  std::string image_, erofs_at_;
  std::optional<Mount> erofs_;  // unmounted first: then the image is let go, and M's filesystem ends
};

// Given the erofs mount, a plain umount of M is busy, and says the erofs mount holds its image on it.
TEST_F(ErofsImageOnALoopFs, UmountSaysTheImagePinsIt) {
  const RunResult r = RunCommand({Umount(), fs_->mountpoint()});
  EXPECT_EQ(r.exit_code, 32) << r.Describe();
  EXPECT_EQ(Lines(r.err),
            (std::vector<std::string>{"umount: " + fs_->mountpoint() + ": target is busy.",
                                      kIndent + fs_->mountpoint() + " is pinned by " + ErofsWords("")}))
      << r.Describe();
}

// Given umount -l M, it says the filesystem lives on, held by the erofs mount, and points at findmnt
// --detached and mkfs-guard --wait.
TEST_F(ErofsImageOnALoopFs, LazyUmountSaysTheErofsMountKeepsItsFilesystem) {
  const RunResult r = RunCommand({Umount(), "-l", fs_->mountpoint()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(Lines(r.err),
            (std::vector<std::string>{
                "umount: " + fs_->mountpoint() + ": lazily unmounted, but its filesystem lives on",
                kIndent + "its filesystem is held by " + ErofsWords("; found by the former mount point"),
                kIndent + "findmnt --detached shows it; mkfs-guard --wait " + fs_->device() +
                    " waits for its end"}))
      << r.Describe();
}

// Given umount -l M, findmnt --detached lists M's filesystem where it was, held by the erofs mount, and
// mkfs-guard names it (text and -J), with nothing guessed.
TEST_F(ErofsImageOnALoopFs, FindmntAndMkfsGuardNameTheErofsMount) {
  ASSERT_EQ(RunCommand({Umount(), "-l", "-q", fs_->mountpoint()}).exit_code, 0);
  const std::string words = ErofsWords("; found by the former mount point");
  DetachedListing listing = ListDetached();
  std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_EQ(Text(rows[0], "target"), fs_->mountpoint());
  EXPECT_EQ(PinnersOf(rows[0]), words) << listing.run.Describe();

  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out),
            fs_->device() + " is busy: it holds an ext4 filesystem that was lazily unmounted from " +
                fs_->mountpoint() + " and is still held by: " + words)
      << guard.Describe();
  EXPECT_THAT(guard.out, Not(HasSubstr("may be held"))) << guard.Describe();

  const RunResult json = RunCommand({MkfsGuard(), "-J", fs_->device()});
  std::optional<nlohmann::json> doc = ParseJson(json.out);
  ASSERT_TRUE(doc.has_value());
  // The one reason, and the note that this test has the device open (LoopDevice's read-only fd).
  const nlohmann::json reasons = Reasons(*doc);
  ASSERT_EQ(ReasonKinds(reasons), (std::vector<std::string>{"detached-mount", "opened-by"})) << doc->dump(2);
  EXPECT_EQ(Number(Pinners(reasons[1])[0], "pid"), getpid());
  const nlohmann::json pinners = Pinners(reasons[0]);
  ASSERT_EQ(pinners.size(), 1u) << doc->dump(2);
  EXPECT_EQ(Text(pinners[0], "kind"), "file-backed-mount");
  EXPECT_EQ(Text(pinners[0], "holder"), erofs_at_);
  ASSERT_EQ(pinners[0]["pins"].size(), 1u);
  EXPECT_EQ(Text(pinners[0]["pins"][0], "kind"), "backing-file");
  EXPECT_EQ(Text(pinners[0]["pins"][0], "path"), image_);
  EXPECT_EQ(pinners[0]["pins"][0]["matched-by-former-target"], true);
}

// Given umount -l M, fuser -v on the device, and fuser --detached -v, name the erofs mount in a kernel row.
TEST_F(ErofsImageOnALoopFs, FuserNamesTheErofsMount) {
  ASSERT_EQ(RunCommand({Umount(), "-l", "-q", fs_->mountpoint()}).exit_code, 0);
  const std::string row = " mount " + ErofsWords("; found by the former mount point");
  const RunResult mounted = RunCommand({Fuser(), "-mv", fs_->device()});
  EXPECT_THAT(mounted.err, HasSubstr(row)) << mounted.Describe();
  const RunResult detached = RunCommand({Fuser(), "--detached", "-v", fs_->device()});
  EXPECT_THAT(detached.err, HasSubstr(row)) << detached.Describe();
}

// Given the erofs mount unmounted after umount -l M, the image is let go and M's device is free.
TEST_F(ErofsImageOnALoopFs, UnmountingTheErofsMountFreesTheDevice) {
  ASSERT_EQ(RunCommand({Umount(), "-l", "-q", fs_->mountpoint()}).exit_code, 0);
  EXPECT_FALSE(DeviceIsFree(fs_->device()));
  erofs_->Unmount();
  EXPECT_TRUE(WaitUntil([&] { return DeviceIsFree(fs_->device()); }, 10s));
}

}  // namespace
}  // namespace itest

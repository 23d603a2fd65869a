// SPDX-License-Identifier: GPL-2.0-or-later
// An overlay whose lowerdir, upperdir and workdir lie on a loop-mounted ext4 M, mounted at O. The overlay
// holds private copies of M's mount, so a plain umount of M succeeds and M's filesystem lives on, its device
// claimed, with no mount of it anywhere. Our umount says the overlay keeps it (and journals where M was), and
// every tool names the overlay and its layers: mkfs-guard (text and -J), findmnt --detached, fuser -v.
#include <sys/mount.h>
#include <unistd.h>

#include "reason_kinds.h"
#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class OverlayLayersOutliveAPlainUmount : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT", "FUSER", "MKFS_GUARD");
    EnterPrivateMountNamespace();
    fs_.emplace("ext4");
    for (const char* dir : {"lower", "upper", "work"}) RunOrThrow({"mkdir", fs_->File(dir)});
    merged_ = fs_->dir().MakeDir("o");
    overlay_.emplace("overlay", merged_, "overlay", 0,
                     "lowerdir=" + fs_->File("lower") + ",upperdir=" + fs_->File("upper") +
                         ",workdir=" + fs_->File("work"));
    unmounted_ = RunCommand({Umount(), fs_->mountpoint()});
  }

  // What every tool calls the overlay: its mount point and the layers it has on the device.
  std::string OverlayWords() const {
    return "overlay " + merged_ + " (lowerdir, upperdir, workdir; found by the former mount point)";
  }

  std::optional<LoopFs> fs_;
  std::string merged_;
  std::optional<Mount> overlay_;  // unmounted first: the filesystem then ends
  RunResult unmounted_;
};

// Given the overlay, a plain umount of M succeeds (exit 0, as util-linux's) and says that the filesystem
// lives on, held by the overlay: not silently, as util-linux's does.
TEST_F(OverlayLayersOutliveAPlainUmount, UmountSaysTheOverlayHoldsItsFilesystem) {
  EXPECT_EQ(unmounted_.exit_code, 0) << unmounted_.Describe();
  EXPECT_FALSE(Mounted(fs_->mountpoint()));
  EXPECT_EQ(
      Lines(unmounted_.err),
      (std::vector<std::string>{
          "umount: " + fs_->mountpoint() + ": unmounted, but its filesystem lives on",
          kIndent + "its filesystem is held by " + OverlayWords(),
          kIndent + "losetup -d, mkfs and the like would race with it; umount --wait waits for such an end"}))
      << unmounted_.Describe();
  // Journaled as a plain umount, not as a lazy detach, with its place and device.
  std::vector<detach::DetachRecord> records = UmountRecords();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0].unmounted);
  EXPECT_EQ(records[0].target, fs_->mountpoint());
  EXPECT_EQ(records[0].source, fs_->device());
}

// Given the same, mkfs-guard names the overlay and its layers, and nothing it merely guesses.
TEST_F(OverlayLayersOutliveAPlainUmount, MkfsGuardNamesTheOverlay) {
  ASSERT_EQ(unmounted_.exit_code, 0) << unmounted_.Describe();
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), fs_->device() +
                                      " is busy: it holds an ext4 filesystem that was unmounted from " +
                                      fs_->mountpoint() + " and is still held by: " + OverlayWords())
      << guard.Describe();
  EXPECT_THAT(guard.out, Not(HasSubstr("may be held"))) << guard.Describe();
  EXPECT_THAT(guard.out, Not(HasSubstr("probably"))) << guard.Describe();
}

// Given the same, mkfs-guard -J gives the overlay as a pinner of kind "overlay", its layers as pins with
// their paths, and the overlay's mount as what it holds through.
TEST_F(OverlayLayersOutliveAPlainUmount, MkfsGuardJsonGivesTheOverlayAndItsLayers) {
  ASSERT_EQ(unmounted_.exit_code, 0) << unmounted_.Describe();
  const RunResult guard = RunCommand({MkfsGuard(), "-J", fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  std::optional<nlohmann::json> doc = ParseJson(guard.out);
  ASSERT_TRUE(doc.has_value());
  // The one reason, and the note that this test has the device open (LoopDevice's read-only fd).
  const nlohmann::json reasons = Reasons(*doc);
  ASSERT_EQ(ReasonKinds(reasons), (std::vector<std::string>{"detached-mount", "opened-by"})) << doc->dump(2);
  EXPECT_EQ(Number(Pinners(reasons[1])[0], "pid"), getpid());
  EXPECT_EQ(Text(reasons[0], "kind"), "detached-mount");
  const nlohmann::json pinners = Pinners(reasons[0]);
  ASSERT_EQ(pinners.size(), 1u) << doc->dump(2);
  EXPECT_EQ(Text(pinners[0], "kind"), "overlay");
  EXPECT_EQ(Text(pinners[0], "holder"), merged_);
  EXPECT_EQ(pinners[0]["certain"], true);
  EXPECT_EQ(Text(pinners[0]["held-through"], "target"), merged_);
  EXPECT_EQ(pinners[0]["held-through"]["attached"], true);
  std::vector<std::string> layers;
  for (const nlohmann::json& pin : pinners[0]["pins"])
    layers.push_back(Text(pin, "layer") + " " + Text(pin, "path"));
  EXPECT_EQ(layers,
            (std::vector<std::string>{"lowerdir " + fs_->File("lower"), "upperdir " + fs_->File("upper"),
                                      "workdir " + fs_->File("work")}));
}

// Given the same, findmnt --detached lists the filesystem (it has no mount anyone sees) where M was, held by
// the overlay, and fuser -v names the overlay in a kernel row.
TEST_F(OverlayLayersOutliveAPlainUmount, FindmntAndFuserNameTheOverlay) {
  ASSERT_EQ(unmounted_.exit_code, 0) << unmounted_.Describe();
  DetachedListing listing = ListDetached();
  std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_EQ(Text(rows[0], "target"), fs_->mountpoint());
  EXPECT_EQ(PinnersOf(rows[0]), OverlayWords()) << listing.run.Describe();

  const RunResult fuser = RunCommand({Fuser(), "-mv", fs_->device()});
  EXPECT_THAT(fuser.err, HasSubstr(" mount " + OverlayWords())) << fuser.Describe();
  const RunResult detached = RunCommand({Fuser(), "--detached", "-v", fs_->device()});
  EXPECT_THAT(detached.err, HasSubstr(" mount " + OverlayWords())) << detached.Describe();
}

// Given the overlay unmounted in turn, the filesystem ends and its device is free: what held it was the
// overlay, as said.
TEST_F(OverlayLayersOutliveAPlainUmount, UnmountingTheOverlayFreesTheDevice) {
  ASSERT_EQ(unmounted_.exit_code, 0) << unmounted_.Describe();
  EXPECT_FALSE(DeviceIsFree(fs_->device()));
  overlay_->Unmount();
  EXPECT_TRUE(WaitUntil([&] { return DeviceIsFree(fs_->device()); }, 10s));
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// An overlay whose layers lie on a loop-mounted ext4 M, mounted at O; O is lazily unmounted (by our umount,
// which journals its options) while a process stands in it, then M is unmounted too. The overlay lives on,
// detached, pinned by that process; M's filesystem lives on through the overlay. findmnt --detached lists
// the overlay with its layers and links it to M's device; mkfs-guard on that device leads to the process;
// fuser -v and fuser --detached -v name the overlay. Without a record of the overlay's options its layers
// are unknown to the /proc source, and said so; the BPF source reads them from the overlay the process stands
// in, and names the overlay as what holds M's device. Each test runs through both sources
// (DETACH_SCAN_SOURCE): the /proc source finds the layers by the paths the record gives, which lead through
// M's former mount point; the BPF source has them from the overlay itself.
#include <sys/mount.h>
#include <unistd.h>

#include "reason_kinds.h"
#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class OverlayDetachedAndPinned : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT", "FUSER", "MKFS_GUARD");
    if (Bpf()) ITEST_REQUIRE_BPF_SOURCE_BUILT();
    // The tools run as children of this test, in its environment.
    ASSERT_EQ(setenv("DETACH_SCAN_SOURCE", GetParam().c_str(), 1), 0);
    EnterPrivateMountNamespace();
    fs_.emplace("ext4");
    for (const char* dir : {"lower", "upper", "work"}) RunOrThrow({"mkdir", fs_->File(dir)});
    merged_ = fs_->dir().MakeDir("o");
    overlay_.emplace("overlay", merged_, "overlay", 0,
                     "lowerdir=" + fs_->File("lower") + ",upperdir=" + fs_->File("upper") +
                         ",workdir=" + fs_->File("work"));
    overlay_id_ = overlay_->unique_id();
    shell_.emplace(SpawnSleepWithCwd(merged_));
  }

  // Lazily unmounts the overlay with our umount (journaled: its options kept), then M with a plain umount.
  void UnmountBoth() {
    const RunResult lazy = RunCommand({Umount(), "-l", "-q", merged_});
    ASSERT_EQ(lazy.exit_code, 0) << lazy.Describe();
    const RunResult plain = RunCommand({Umount(), "-q", fs_->mountpoint()});
    ASSERT_EQ(plain.exit_code, 0) << plain.Describe();
  }

  void TearDown() override { unsetenv("DETACH_SCAN_SOURCE"); }
  bool Bpf() const { return GetParam() == "bpf"; }

  std::string Shell() const { return PinEntry(shell_->pid(), "sleep", "cwd"); }
  // How the tools name the overlay as what holds M's filesystem: found through M's former mount point by the
  // /proc source, read from the overlay itself by the BPF source.
  std::string OverlayWords(const std::string& overlay = {}) const {
    return "overlay " + (overlay.empty() ? merged_ : overlay) + " (lazily unmounted, pinned by " + Shell() +
           "; lowerdir, upperdir, workdir" + (Bpf() ? ")" : "; found by the former mount point)");
  }

  std::optional<LoopFs> fs_;
  std::string merged_;
  std::optional<Mount> overlay_;
  std::uint64_t overlay_id_ = 0;
  std::optional<ChildProcess> shell_;  // ended first: then the overlay, and so M's filesystem, end
};

// Given both unmounted, findmnt --detached lists the overlay (pinned by the process, its layers from the
// journal) and M's filesystem, held by the overlay.
TEST_P(OverlayDetachedAndPinned, FindmntListsTheOverlayWithItsLayersAndLinksItToTheDevice) {
  UnmountBoth();
  const RunResult r =
      RunCommand({Findmnt(), "--detached", "-J", "-l", "-o", "UNIQ-ID,SOURCE,FSTYPE,TARGET,LAYERS,PINNERS"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::optional<nlohmann::json> doc = ParseJson(r.out);
  ASSERT_TRUE(doc.has_value());
  const nlohmann::json* overlay = nullptr;
  const nlohmann::json* device = nullptr;
  for (const nlohmann::json& row : (*doc)["filesystems"]) {
    if (UniqIdOf(row) == overlay_id_) overlay = &row;
    if (Text(row, "source") == fs_->device()) device = &row;
  }
  ASSERT_NE(overlay, nullptr) << r.Describe();
  EXPECT_EQ(Text(*overlay, "fstype"), "overlay");
  EXPECT_EQ(Text(*overlay, "target"), merged_);
  EXPECT_EQ((*overlay)["lowerdir"], nlohmann::json::array({fs_->File("lower")}));
  EXPECT_EQ(Text(*overlay, "upperdir"), fs_->File("upper"));
  EXPECT_EQ(Text(*overlay, "workdir"), fs_->File("work"));
  EXPECT_EQ(Text(*overlay, "merged"), merged_);
  EXPECT_EQ(PinnersOf(*overlay), Shell());
  ASSERT_NE(device, nullptr) << r.Describe();
  EXPECT_EQ(Text(*device, "target"), fs_->mountpoint());
  EXPECT_EQ(PinnersOf(*device), OverlayWords());

  const RunResult text = RunCommand({Findmnt(), "--detached", "-l", "-n", "-o", "UNIQ-ID,LAYERS"});
  EXPECT_THAT(text.out, HasSubstr(std::to_string(overlay_id_) + " lowerdir=" + fs_->File("lower") +
                                  ",upperdir=" + fs_->File("upper") + ",workdir=" + fs_->File("work")))
      << text.Describe();
}

// Given the same, mkfs-guard on M's device names the overlay, that it is lazily unmounted, and the process
// that pins it: what to end for the device to be free. -J gives that process as data too.
TEST_P(OverlayDetachedAndPinned, MkfsGuardLeadsToTheProcessInTheOverlay) {
  UnmountBoth();
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), fs_->device() +
                                      " is busy: it holds an ext4 filesystem that was unmounted from " +
                                      fs_->mountpoint() + " and is still held by: " + OverlayWords())
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
  EXPECT_EQ(Text(pinners[0], "kind"), "overlay");
  const nlohmann::json& through = pinners[0]["held-through"];
  EXPECT_EQ(through["attached"], false);
  EXPECT_EQ(Number(through, "uniq-id"), static_cast<std::int64_t>(overlay_id_));
  ASSERT_EQ(through["pinners"].size(), 1u) << doc->dump(2);
  EXPECT_EQ(Number(through["pinners"][0], "pid"), shell_->pid());
}

// Given the same, fuser -v on M's device and fuser --detached -v name the overlay in a kernel row, and
// fuser --detached names the process that pins the overlay.
TEST_P(OverlayDetachedAndPinned, FuserNamesTheOverlay) {
  UnmountBoth();
  const RunResult mounted = RunCommand({Fuser(), "-mv", fs_->device()});
  EXPECT_THAT(mounted.err, HasSubstr(" mount " + OverlayWords())) << mounted.Describe();
  const RunResult detached = RunCommand({Fuser(), "--detached", "-v"});
  EXPECT_THAT(detached.err, HasSubstr(" mount " + OverlayWords())) << detached.Describe();
  EXPECT_THAT(detached.err, HasSubstr(" mount " + merged_ + " (overlay, detached)")) << detached.Describe();
  // The overlay's own report: its pinner, with its pid on stdout.
  EXPECT_THAT(detached.err, HasSubstr(" ..c.. sleep: cwd\n")) << detached.Describe();
  EXPECT_THAT(detached.out, HasSubstr(" " + std::to_string(shell_->pid()))) << detached.Describe();
}

// Given the process ended, the overlay goes, then M's filesystem: the device is free. What was named is what
// held it.
TEST_P(OverlayDetachedAndPinned, EndingTheProcessFreesTheDevice) {
  UnmountBoth();
  EXPECT_FALSE(DeviceIsFree(fs_->device()));
  shell_->Kill();
  EXPECT_TRUE(WaitUntil([&] { return DeviceIsFree(fs_->device()); }, 10s));
}

// Given the overlay lazily unmounted by umount2() directly (nobody journaled its options), findmnt
// --detached says its layers' paths are unknown. The /proc source knows nothing else of them: mkfs-guard
// names no overlay as holding M's device, nor guesses one. The BPF source reads the layers from the overlay
// the process stands in: mkfs-guard names the overlay (by its id: its mount point was not recorded either),
// for certain, and the process that pins it.
TEST_P(OverlayDetachedAndPinned, UnrecordedOverlayIsNamedOnlyFromTheOverlayItself) {
  overlay_->Detach();
  const RunResult plain = RunCommand({Umount(), "-q", fs_->mountpoint()});
  ASSERT_EQ(plain.exit_code, 0) << plain.Describe();
  const RunResult r = RunCommand({Findmnt(), "--detached", "-l", "-n", "-o", "UNIQ-ID,FSTYPE,LAYERS"});
  EXPECT_THAT(r.out, HasSubstr(std::to_string(overlay_id_) + " overlay unknown (not recorded)"))
      << r.Describe();
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_THAT(guard.out, Not(HasSubstr("probably"))) << guard.Describe();
  if (Bpf()) {
    const std::string unrecorded = "mount " + std::to_string(overlay_id_) + " (mount point not recorded)";
    EXPECT_EQ(FirstLine(guard.out),
              fs_->device() + " is busy: it holds an ext4 filesystem that was unmounted from " +
                  fs_->mountpoint() + " and is still held by: " + OverlayWords(unrecorded))
        << guard.Describe();
  } else {
    EXPECT_THAT(guard.out, Not(HasSubstr("overlay"))) << guard.Describe();
  }
}

INSTANTIATE_TEST_SUITE_P(EachSource, OverlayDetachedAndPinned, ::testing::Values("proc", "bpf"),
                         [](const auto& info) { return info.param == "bpf" ? "Bpf" : "Proc"; });

}  // namespace
}  // namespace itest

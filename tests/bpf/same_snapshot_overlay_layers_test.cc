// SPDX-License-Identifier: GPL-2.0-or-later
// An overlay's layers, where a task pin leads the BPF source to the overlay: read from the overlay's own
// superblock, they are where the kernel holds them, when the options' paths no longer say so. Both sources
// give the same snapshot while the paths still lead to the layers; the BPF source places exactly a layer
// whose directory was renamed since (its path resolves nowhere: /proc says "may"), and the layers of an
// overlay lazily detached with nobody to record its options (/proc knows none). Those differences are
// asserted, line by line. A data-only layer, which the BPF source places by its mount's device alone, takes
// its inode from its path.
#include <cstdio>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

constexpr const char* kKind = "overlay-layer";

class OverlayLayersFromBothSources : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT();
    EnterPrivateMountNamespace();
    fs_.emplace("ext4");
    dev_ = bpftest::DeviceOf(fs_->mountpoint());
    for (const char* dir : {"lower", "data", "upper", "work"}) {
      RunOrThrow({"mkdir", fs_->File(dir)});
      inodes_[dir] = bpftest::InodeOf(fs_->File(dir));
    }
    merged_ = fs_->dir().MakeDir("o");
    overlay_.emplace("overlay", merged_, "overlay", 0, Options());
    shell_.emplace(SpawnSleepWithCwd(merged_));
  }

  virtual std::string Options() const {
    return "lowerdir=" + fs_->File("lower") + ",upperdir=" + fs_->File("upper") +
           ",workdir=" + fs_->File("work");
  }

  bpftest::DumpFilter Filter() const { return {{shell_->pid()}, {dev_}, {merged_}}; }

  // The line's field NAME ("role", "dev", "ino"...), as the dump writes it.
  static std::string Field(const std::string& line, const std::string& name) {
    const std::size_t at = line.find(" " + name + "=");
    if (at == std::string::npos) return {};
    const std::size_t from = at + name.size() + 2;
    return line.substr(from, line.find(' ', from) - from);
  }

  std::optional<LoopFs> fs_;
  detach::DeviceNumber dev_;
  std::map<std::string, std::uint64_t> inodes_;  // of lower, data, upper and work
  std::string merged_;                           // the overlay's mount point
  std::optional<Mount> overlay_;
  std::optional<ChildProcess> shell_;  // ended first: then the overlay
};

// Given an overlay a process stands in, whose layer paths still lead to its layers, we should get the same
// snapshot from both sources, with every tool's scan options; and when its lower directory has been renamed,
// the BPF source places that layer on the filesystem, at the directory's inode, where /proc's lookup of the
// path finds nothing.
TEST_F(OverlayLayersFromBothSources, ARenamedLayerIsWhereTheOverlayHasIt) {
  for (bool renamed : {false, true}) {
    if (renamed) {
      ASSERT_EQ(std::rename(fs_->File("lower").c_str(), fs_->File("lower-moved").c_str()), 0);
    }
    for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev_)) {
      SCOPED_TRACE(tool.name + (renamed ? ", lower renamed" : ""));
      const bpftest::BothSources both = bpftest::TakeFromBothSources(tool.options, Filter());
      ASSERT_TRUE(both.bpf_used) << both.bpf_why;
      EXPECT_EQ(bpftest::PinsOn(both.bpf, kKind, dev_), 3) << both.bpf;
      if (renamed) {
        EXPECT_EQ(both.bpf, bpftest::PlacedExactly(both.proc, kKind, 0, dev_, inodes_["lower"]));
      } else {
        EXPECT_EQ(both.bpf, both.proc);
      }
    }
  }
}

// Given the overlay lazily detached by umount2() directly (nobody recorded its options), /proc knows none of
// its layers; the BPF source reads them from the overlay the process stands in: the same snapshot but for
// three layer pins, each on the filesystem at its directory's inode, with its role and no path.
TEST_F(OverlayLayersFromBothSources, AnUnrecordedDetachedOverlayHasItsLayersFromItself) {
  overlay_->Detach();
  for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev_)) {
    SCOPED_TRACE(tool.name);
    const bpftest::BothSources both = bpftest::TakeFromBothSources(tool.options, Filter());
    ASSERT_TRUE(both.bpf_used) << both.bpf_why;
    EXPECT_TRUE(bpftest::PinLines(both.proc, kKind).empty()) << both.proc;
    EXPECT_EQ(bpftest::WithoutPins(both.bpf, kKind), both.proc);
    std::map<std::string, std::string> placed;  // role: "dev ino path"
    for (const std::string& line : bpftest::PinLines(both.bpf, kKind))
      placed[Field(line, "role")] = Field(line, "dev") + " " + Field(line, "ino") + " " + Field(line, "path");
    const std::string dev = dev_.str() + " ";
    EXPECT_EQ(placed,
              (std::map<std::string, std::string>{{"lowerdir", dev + std::to_string(inodes_["lower"]) + " "},
                                                  {"upperdir", dev + std::to_string(inodes_["upper"]) + " "},
                                                  {"workdir", dev + std::to_string(inodes_["work"]) + " "}}))
        << both.bpf;
  }
}

// The same overlay with a data-only lower layer (after "::"; metacopy=on, as the kernel asks).
class OverlayWithDataLayerFromBothSources : public OverlayLayersFromBothSources {
 protected:
  std::string Options() const override {
    return "lowerdir=" + fs_->File("lower") + "::" + fs_->File("data") + ",upperdir=" + fs_->File("upper") +
           ",workdir=" + fs_->File("work") + ",metacopy=on";
  }
};

// Given an overlay with a data-only layer, which the kernel stacks in no directory's lower stack (the BPF
// source reads only its mount's device), we should get the same snapshot from both sources: the data layer at
// the inode its path gives, on the device the overlay holds. Detached with nobody to record its options, the
// BPF source gives its four layers, the data layer by device alone.
TEST_F(OverlayWithDataLayerFromBothSources, TheDataLayerIsPlacedByTheOverlayAndItsPath) {
  for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev_)) {
    SCOPED_TRACE(tool.name);
    const bpftest::BothSources both = bpftest::TakeFromBothSources(tool.options, Filter());
    ASSERT_TRUE(both.bpf_used) << both.bpf_why;
    EXPECT_EQ(bpftest::PinsOn(both.bpf, kKind, dev_), 4) << both.bpf;
    EXPECT_EQ(both.bpf, both.proc);
  }
  overlay_->Detach();
  const bpftest::BothSources both =
      bpftest::TakeFromBothSources(bpftest::ToolOptions(dev_).front().options, Filter());
  std::map<std::string, std::string> placed;  // role: "dev ino"
  for (const std::string& line : bpftest::PinLines(both.bpf, kKind))
    placed[Field(line, "role")] = Field(line, "dev") + " " + Field(line, "ino");
  const std::string dev = dev_.str() + " ";
  EXPECT_EQ(placed, (std::map<std::string, std::string>{{"lowerdir", dev + std::to_string(inodes_["lower"])},
                                                        {"datadir", dev + "0"},
                                                        {"upperdir", dev + std::to_string(inodes_["upper"])},
                                                        {"workdir", dev + std::to_string(inodes_["work"])}}))
      << both.bpf;
}

}  // namespace
}  // namespace itest

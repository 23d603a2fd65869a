// SPDX-License-Identifier: GPL-2.0-or-later
// binfmt_misc entries with flag F, read by the BPF source from their instances' own lists: the interpreter is
// the file the kernel holds, where the entry's file gives the path it was registered with. Both sources give
// the same snapshot while that path still leads to the file; the BPF source places exactly an interpreter
// renamed since (its path resolves nowhere: /proc says "may"), and names the entry of an instance no mount
// table shows (a user namespace's own, whose one mount was lazily detached: /proc reads no entry of it) or
// whose one mount is covered by another (/proc cannot read it). Those differences are asserted, line by line.
#include <cstdio>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "../integration/probe_scenario.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

constexpr const char* kKind = "binfmt-interpreter";
constexpr const char* kPrefix = "detach-bpftest-binfmt-entries-";

// The line's field NAME ("role", "dev", "ino"...), as the dump writes it.
std::string Field(const std::string& line, const std::string& name) {
  const std::size_t at = line.find(" " + name + "=");
  if (at == std::string::npos) return {};
  const std::size_t from = at + name.size() + 2;
  return line.substr(from, line.find(' ', from) - from);
}

// An entry of the instance the test's private namespace mounts at kBinfmtDir (the initial user namespace's).
class BinfmtEntriesFromBothSources : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT();
    EnterPrivateMountNamespace();
    instance_.emplace("binfmt_misc", kBinfmtDir, "binfmt_misc");
    RemoveBinfmtLeftovers(kPrefix);
    fs_.emplace("ext4");
    dev_ = bpftest::DeviceOf(fs_->mountpoint());
    CopyExecutable("/bin/true", fs_->File("interp"));
    ino_ = bpftest::InodeOf(fs_->File("interp"));
    entry_.emplace(UniqueName(kPrefix), fs_->File("interp"), true);
  }

  std::optional<Mount> instance_;
  std::optional<LoopFs> fs_;
  detach::DeviceNumber dev_;
  std::uint64_t ino_ = 0;
  std::optional<BinfmtEntry> entry_;  // removed first: then the filesystem can end
};

// Given an entry whose interpreter path still leads to its file, we should get the same snapshot from both
// sources, with every tool's scan options; once the interpreter has been renamed, the BPF source places it on
// the filesystem's mount at the file's inode, where /proc's lookup of the path finds nothing.
TEST_F(BinfmtEntriesFromBothSources, ARenamedInterpreterIsWhereTheKernelHoldsIt) {
  for (bool renamed : {false, true}) {
    if (renamed) {
      ASSERT_EQ(std::rename(fs_->File("interp").c_str(), fs_->File("interp-moved").c_str()), 0);
    }
    for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev_)) {
      SCOPED_TRACE(tool.name + (renamed ? ", interpreter renamed" : ""));
      const bpftest::BothSources both =
          bpftest::TakeFromBothSources(tool.options, {{}, {dev_}, {entry_->name()}});
      ASSERT_TRUE(both.bpf_used) << both.bpf_why;
      EXPECT_EQ(bpftest::PinsOn(both.bpf, kKind, dev_), 1) << both.bpf;
      if (renamed) {
        EXPECT_EQ(both.bpf, bpftest::PlacedExactly(both.proc, kKind, fs_->mount().unique_id(), dev_, ino_));
      } else {
        EXPECT_EQ(both.bpf, both.proc);
      }
    }
  }
}

// An entry of the initial user namespace's instance whose one mount (in the test's private namespace) has
// another mounted over it: the census opens the mount point, finds the other, and cannot read the instance.
class CoveredInstanceFromBothSources : public BinfmtEntriesFromBothSources {
 protected:
  void SetUp() override {
    BinfmtEntriesFromBothSources::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    cover_.emplace("tmpfs", kBinfmtDir, "tmpfs");
  }

  std::optional<Mount> cover_;  // unmounted first: the entry is removed through the instance's mount
};

// Given the covered instance, /proc gives no pin of the entry (it notes that it could not read the instance);
// the BPF source gives the /proc snapshot and the entry's pin, placed on the filesystem's mount at the
// interpreter's inode, its instance named by the mount point it could not be read at.
TEST_F(CoveredInstanceFromBothSources, OnlyBpfNamesTheEntryWithItsMountPoint) {
  for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev_)) {
    SCOPED_TRACE(tool.name);
    const bpftest::BothSources both =
        bpftest::TakeFromBothSources(tool.options, {{}, {dev_}, {entry_->name()}});
    ASSERT_TRUE(both.bpf_used) << both.bpf_why;
    EXPECT_TRUE(bpftest::PinLines(both.proc, kKind).empty()) << both.proc;
    EXPECT_EQ(bpftest::WithoutPins(both.bpf, kKind), both.proc);
    const std::vector<std::string> pins = bpftest::PinLines(both.bpf, kKind);
    ASSERT_EQ(pins.size(), 1u) << both.bpf;
    EXPECT_EQ(Field(pins[0], "mount"), std::to_string(fs_->mount().unique_id()));
    EXPECT_EQ(Field(pins[0], "ino"), std::to_string(ino_));
    EXPECT_EQ(Field(pins[0], "role"), kBinfmtDir);
  }
}

// An entry of a user namespace's own instance, which no mount table shows: the process that stands in it
// lazily detached its one mount.
class UnseenInstanceFromBothSources : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT();
    EnterPrivateMountNamespace();
    // Before the filesystem is mounted: the instance's namespace must not hold a copy of its mount.
    instance_dir_.emplace();
    holder_.emplace(SpawnInDetachedBinfmtInstance(instance_dir_->path()));
    fs_.emplace("ext4");
    dev_ = bpftest::DeviceOf(fs_->mountpoint());
    CopyExecutable("/bin/true", fs_->File("interp"));
    ino_ = bpftest::InodeOf(fs_->File("interp"));
    entry_.emplace(UniqueName(kPrefix), fs_->File("interp"), true,
                   "/proc/" + std::to_string(holder_->pid()) + "/cwd");
  }

  std::optional<TempDir> instance_dir_;
  std::optional<ChildProcess> holder_;
  std::optional<LoopFs> fs_;
  detach::DeviceNumber dev_;
  std::uint64_t ino_ = 0;
  std::optional<BinfmtEntry> entry_;
};

// Given the filesystem attached and then lazily detached, we should get from the BPF source the /proc
// source's snapshot and one pin more: the entry, its interpreter on the filesystem at the file's inode (on
// its mount, then on the device the snapshot knows it by), with the path it was registered with and no
// instance mount point.
TEST_F(UnseenInstanceFromBothSources, OnlyBpfNamesTheEntry) {
  for (bool detached : {false, true}) {
    if (detached) fs_->mount().Detach();
    const std::string mount =
        std::to_string(detached ? detach::kernel_held_key(dev_) : fs_->mount().unique_id());
    for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev_)) {
      SCOPED_TRACE(tool.name + (detached ? ", detached" : ""));
      const bpftest::BothSources both =
          bpftest::TakeFromBothSources(tool.options, {{holder_->pid()}, {dev_}});
      ASSERT_TRUE(both.bpf_used) << both.bpf_why;
      EXPECT_TRUE(bpftest::PinLines(both.proc, kKind).empty()) << both.proc;
      EXPECT_EQ(bpftest::WithoutPins(both.bpf, kKind), both.proc);
      const std::vector<std::string> pins = bpftest::PinLines(both.bpf, kKind);
      ASSERT_EQ(pins.size(), 1u) << both.bpf;
      EXPECT_EQ(Field(pins[0], "holder"), entry_->name());
      EXPECT_EQ(Field(pins[0], "mount"), mount);
      EXPECT_EQ(Field(pins[0], "dev"), dev_.str());
      EXPECT_EQ(Field(pins[0], "ino"), std::to_string(ino_));
      EXPECT_EQ(Field(pins[0], "path"), fs_->File("interp"));
      EXPECT_EQ(Field(pins[0], "role"), "");
      EXPECT_EQ(Field(pins[0], "by_former_target"), "0");
    }
  }
}

}  // namespace
}  // namespace itest

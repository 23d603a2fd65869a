// SPDX-License-Identifier: GPL-2.0-or-later
// The census's kinds of pin (README, "Every kind of pinner"), each the scenario of its integration test, on a
// filesystem attached and lazily detached, taken through the BPF source and through the /proc source with
// each tool's scan options: an io_uring ring's registered file, a file in flight over a unix socket, a bound
// unix socket, an overlay's layers, a binfmt_misc entry with flag F, a uprobe event, a file-backed erofs.
// Both sources must give the same mounts, pins and tasks, line by line, except where the BPF source places
// exactly what /proc cannot: a ring's registered file on a detached filesystem (its fdinfo path resolves
// nowhere; the ring's table names the file's mount), a binfmt_misc interpreter on a detached filesystem (its
// path leads there only through the journal's former mount point, to the device and no inode; the
// instance's list names the file), and a file in flight, attached or detached (the socket's fdinfo gives only
// a count; the queued message names the file). That difference is asserted, line by line.
#include <sys/mount.h>

#include <functional>
#include <sstream>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "../integration/probe_scenario.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

constexpr const char* kBinfmtPrefix = "detach-bpftest-binfmt-";
constexpr const char* kUprobePrefix = "detach_bpftest_uprobe_";

// What a scenario made, undone in reverse: its kernel objects and mounts before the filesystem they are on.
struct Scenario {
  std::vector<ChildProcess> processes;  // the test's pinners: their pins are compared
  std::optional<Mount> instance;        // binfmt_misc or tracefs, in the test's private namespace
  std::vector<Mount> mounts;            // an overlay, an erofs
  std::optional<BinfmtEntry> binfmt;
  std::optional<UprobeEvent> uprobe;
  // The file the census's pin holds, when the BPF source places it exactly where /proc, once the
  // filesystem is detached (a ring's registered file) or always (a file in flight), cannot: the pin's kind
  // and the file's inode.
  std::string exact_kind;
  std::uint64_t exact_ino = 0;
  bool exact_when_attached = false;
  // Whether the BPF source finds the detached mount itself by that file (a ring's), where /proc knows the
  // filesystem only by its device.
  bool exact_finds_detached_mount = false;
};

// The key of the mount on DEV that DUMP shows attached.
detach::MountKey AttachedMountOn(const std::string& dump, const detach::DeviceNumber& dev) {
  std::istringstream lines(dump);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("mount ", 0) != 0 || line.find(" dev=" + dev.str() + " ") == std::string::npos ||
        line.find(" attached=1 ") == std::string::npos)
      continue;
    return std::stoull(line.substr(6, line.find(' ', 6) - 6));
  }
  throw std::runtime_error("no attached mount on " + dev.str() + " in:\n" + dump);
}

struct CensusCase {
  std::string name;
  std::function<void(LoopFs&, Scenario&)> make;
  std::string kind;        // the census's pin it makes (pin_kind_name)
  bool on_device = false;  // that pin is placed on the filesystem's device by both sources
  // Only a plain umount of the filesystem leaves it held (an overlay: its layers are no "target is busy").
  bool unmount_plainly = false;
};

void PrintTo(const CensusCase& c, std::ostream* out) {
  *out << c.name;
}

void Overlay(LoopFs& fs, Scenario& s) {
  for (const char* dir : {"lower", "upper", "work"}) RunOrThrow({"mkdir", fs.File(dir)});
  s.mounts.emplace_back(
      "overlay", fs.dir().MakeDir("o"), "overlay", 0,
      "lowerdir=" + fs.File("lower") + ",upperdir=" + fs.File("upper") + ",workdir=" + fs.File("work"));
}

void ErofsImage(LoopFs& fs, Scenario& s) {
  const std::string content = fs.dir().MakeDir("content");
  WriteFile(content + "/hello", "hello\n");
  RunOrThrow({"mkfs.erofs", "--quiet", fs.File("image.erofs"), content});
  // mount(2) itself: util-linux's mount would set up a loop device for a regular file.
  s.mounts.emplace_back(fs.File("image.erofs"), fs.dir().MakeDir("e"), "erofs", MS_RDONLY);
}

void BinfmtWithFlagF(LoopFs& fs, Scenario& s) {
  s.instance.emplace("binfmt_misc", kBinfmtDir, "binfmt_misc");
  RemoveBinfmtLeftovers(kBinfmtPrefix);
  CopyExecutable("/bin/true", fs.File("interp"));
  s.binfmt.emplace(UniqueName(kBinfmtPrefix), fs.File("interp"), true);
  s.exact_kind = "binfmt-interpreter";
  s.exact_ino = bpftest::InodeOf(fs.File("interp"));
}

void UprobeOnABinary(LoopFs& fs, Scenario& s) {
  s.instance.emplace("tracefs", kTracefs, "tracefs");
  RemoveUprobeLeftovers(kUprobePrefix);
  CopyExecutable("/bin/true", fs.File("target"));
  s.uprobe.emplace(UniqueName(kUprobePrefix), fs.File("target"), 0x1000);
}

std::vector<CensusCase> Cases() {
  return {
      {"IoUringRegisteredFile",
       [](LoopFs& fs, Scenario& s) {
         WriteFile(fs.File("ringfile"), "registered\n");
         s.processes.push_back(SpawnRingHolding(fs.File("ringfile")));
         s.exact_kind = "io_uring-file";
         s.exact_finds_detached_mount = true;
         s.exact_ino = bpftest::InodeOf(fs.File("ringfile"));
       },
       "io_uring-file"},
      {"FileInFlight",
       [](LoopFs& fs, Scenario& s) {
         WriteFile(fs.File("sent"), "in flight\n");
         s.processes.push_back(SpawnFileInFlight(fs.File("sent")));
         s.exact_kind = "files-in-flight";
         s.exact_ino = bpftest::InodeOf(fs.File("sent"));
         s.exact_when_attached = true;
       },
       "files-in-flight"},
      {"BoundUnixSocket",
       [](LoopFs& fs, Scenario& s) { s.processes.push_back(SpawnBoundSocket(fs.File("sock"))); },
       "bound-socket", true},
      {"OverlayLayers", Overlay, "overlay-layer", true, true},
      {"BinfmtMiscFlagF", BinfmtWithFlagF, "binfmt-interpreter", true},
      {"UprobeEvent", UprobeOnABinary, "uprobe", true},
      {"FileBackedErofs", ErofsImage, "backing-file", true},
  };
}

class SameCensusFromBothSources : public ::testing::TestWithParam<std::tuple<CensusCase, bool>> {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT");
    EnterPrivateMountNamespace();
    fs_.emplace("ext4");
    dev_ = bpftest::DeviceOf(fs_->mountpoint());
    mount_id_ = fs_->mount().unique_id();
    const CensusCase& c = std::get<0>(GetParam());
    c.make(*fs_, scenario_);
    // Through our umount, which journals where the filesystem was: the kernel names the files of the mount
    // options' and of binfmt_misc and uprobes by paths, which only that former mount point places then.
    if (std::get<1>(GetParam())) {
      const RunResult r = RunCommand({Umount(), c.unmount_plainly ? "-q" : "-lq", fs_->mountpoint()});
      ASSERT_EQ(r.exit_code, 0) << r.Describe();
    }
  }

  std::optional<LoopFs> fs_;
  detach::DeviceNumber dev_;
  std::uint64_t mount_id_ = 0;
  Scenario scenario_;  // undone before the filesystem
};

// Given a filesystem held by one kind of census pin (attached, or lazily detached: for an overlay, plainly
// unmounted), we should get the same mounts, pins and tasks from the BPF source as from /proc with every
// tool's scan options, but a detached ring's file, and a file in flight attached or detached, placed exactly
// by BPF on the filesystem's mount where /proc says "may" (asserted line by line); and the census's pin in
// both (so that the comparison is not of two empty dumps).
TEST_P(SameCensusFromBothSources, WithEachToolsOptions) {
  const CensusCase& c = std::get<0>(GetParam());
  bpftest::DumpFilter filter{{}, {dev_}};
  for (const ChildProcess& p : scenario_.processes) filter.pids.insert(p.pid());
  for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev_)) {
    SCOPED_TRACE(tool.name);
    const bpftest::BothSources both = bpftest::TakeFromBothSources(tool.options, filter);
    ASSERT_TRUE(both.bpf_used) << both.bpf_why;
    const bool detached = std::get<1>(GetParam());
    if (!scenario_.exact_kind.empty() && (detached || scenario_.exact_when_attached)) {
      // Detached, a ring's file leads the BPF source to the mount itself; else no task pin leads to the
      // filesystem's own mount, and the snapshot knows it by its device.
      const bool relisted = detached && scenario_.exact_finds_detached_mount;
      const detach::MountKey mount = relisted   ? mount_id_
                                     : detached ? detach::kernel_held_key(dev_)
                                                : AttachedMountOn(both.proc, dev_);
      EXPECT_EQ(both.bpf, bpftest::PlacedExactly(both.proc, scenario_.exact_kind, mount, dev_,
                                                 scenario_.exact_ino, relisted));
    } else
      EXPECT_EQ(both.bpf, both.proc);
    const std::string prefix = "pin " + c.kind + " ";
    EXPECT_NE(both.proc.find(prefix), std::string::npos) << both.proc;
    EXPECT_NE(both.bpf.find(prefix), std::string::npos) << both.bpf;
    if (c.on_device) {
      EXPECT_GE(bpftest::PinsOn(both.proc, c.kind, dev_), 1) << both.proc;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EachCensusKind, SameCensusFromBothSources,
                         ::testing::Combine(::testing::ValuesIn(Cases()), ::testing::Bool()),
                         [](const auto& info) { return bpftest::AttachedOrDetachedName(info); });

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// Each way a process pins a filesystem, attached and lazily detached, taken through the BPF source and
// through the /proc source with each tool's scan options: the same mounts, pins and tasks, line by line.
#include <fcntl.h>
#include <sys/sysmacros.h>

#include <functional>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

struct PinCase {
  std::string name;
  std::function<ChildProcess(const LoopFs&)> spawn;
  std::string kind;  // what the pinner must be seen to hold on the fs ("cwd", "fd" ...)
};

void PrintTo(const PinCase& c, std::ostream* out) {
  *out << c.name;
}

std::vector<HeldFd> FdsWithGapsAndModes(const LoopFs& fs) {
  std::vector<HeldFd> fds;
  for (int fd = 20; fd < 60; ++fd)
    fds.push_back({fs.File("r" + std::to_string(fd % 7)), O_RDONLY | O_CREAT, fd});
  for (int fd = 70; fd < 75; ++fd) fds.push_back({fs.File("w"), O_WRONLY | O_CREAT, fd});
  fds.push_back({fs.File("rw"), O_RDWR | O_CREAT, 90});
  fds.push_back({fs.File("rw"), O_PATH, 91});
  fds.push_back({fs.mountpoint(), O_RDONLY | O_DIRECTORY, 92});
  fds.push_back({"/proc/self/ns/mnt", O_RDONLY, 93});  // nsfs: never merged into a range
  fds.push_back({"/proc/self/ns/mnt", O_RDONLY, 94});
  return fds;
}

std::vector<PinCase> Cases() {
  return {
      {"Cwd", [](const LoopFs& fs) { return SpawnSleepWithCwd(fs.mountpoint()); }, "cwd"},
      {"RootByChroot", [](const LoopFs& fs) { return SpawnChrooted(fs.mountpoint()); }, "root"},
      {"Exe", [](const LoopFs& fs) { return SpawnSleepFrom(fs.mountpoint()); }, "exe"},
      {"FdRead",
       [](const LoopFs& fs) {
         return SpawnFdHolder({{fs.File("f"), O_RDONLY | O_CREAT, 20}});
       },
       "fd"},
      {"FdWrite",
       [](const LoopFs& fs) {
         return SpawnFdHolder({{fs.File("f"), O_WRONLY | O_CREAT, 20}});
       },
       "fd"},
      {"FdReadWrite",
       [](const LoopFs& fs) {
         return SpawnFdHolder({{fs.File("f"), O_RDWR | O_CREAT, 20}});
       },
       "fd"},
      {"FdPathOnly",
       [](const LoopFs& fs) {
         return SpawnFdHolder({{fs.mountpoint(), O_PATH, 20}});
       },
       "fd"},
      {"FdsInRangesWithGaps", [](const LoopFs& fs) { return SpawnFdHolder(FdsWithGapsAndModes(fs)); }, "fd"},
      {"BlockDeviceHeldOpen",
       [](const LoopFs& fs) {
         return SpawnFdHolder({{fs.device(), O_RDONLY, 20}});
       },
       "fd"},
      {"MmapWithFdClosed", [](const LoopFs& fs) { return SpawnMapper(fs.File("mapped")); }, "mmap"},
      {"ThreadWithOwnCwd", [](const LoopFs& fs) { return SpawnThreadWithOwnCwd(fs.mountpoint()); }, "cwd"},
      {"ThreadWithOwnFdTable", [](const LoopFs& fs) { return SpawnThreadWithOwnFdTable(fs.File("t"), 30); },
       "fd"},
  };
}

class SameSnapshotFromBothSources : public ::testing::TestWithParam<std::tuple<PinCase, bool>> {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT();
    fs_.emplace();
    dev_ = bpftest::DeviceOf(fs_->mountpoint());
    pinner_.emplace(std::get<0>(GetParam()).spawn(*fs_));
    if (std::get<1>(GetParam())) fs_->mount().Detach();
  }

  std::optional<LoopFs> fs_;
  detach::DeviceNumber dev_;
  std::optional<ChildProcess> pinner_;
};

// Given a filesystem pinned one way (attached or lazily detached), we should get from the BPF iterators the
// very pins, mounts and tasks the /proc scan gives, with every tool's scan options; and the pin itself in
// both (so that the comparison is not of two empty dumps).
TEST_P(SameSnapshotFromBothSources, WithEachToolsOptions) {
  const PinCase& pin_case = std::get<0>(GetParam());
  const bpftest::DumpFilter filter{{pinner_->pid()}, {dev_}};
  for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev_)) {
    SCOPED_TRACE(tool.name);
    const bpftest::BothSources both = bpftest::TakeFromBothSources(tool.options, filter);
    ASSERT_TRUE(both.bpf_used) << both.bpf_why;
    EXPECT_EQ(both.bpf, both.proc);
    if (tool.name == "every pin detailed") {
      EXPECT_GE(bpftest::PinsOn(both.bpf, pin_case.kind, dev_), 1) << both.bpf;
    }
  }
}

// Given kthreadd (pid 2), a kernel thread, we should get its pins (a cwd and a root, no exe) from both
// sources alike: /proc lists kernel threads' links too.
TEST(SameSnapshotFromBothSources, ForAKernelThread) {
  ITEST_REQUIRE_ROOT();
  const bpftest::DumpFilter filter{{2}, {}};
  const bpftest::BothSources both = bpftest::TakeFromBothSources(detach::ScanOptions{}, filter);
  ASSERT_TRUE(both.bpf_used) << both.bpf_why;
  EXPECT_EQ(both.bpf, both.proc);
  EXPECT_NE(both.bpf.find("pin cwd pid=2 "), std::string::npos) << both.bpf;
}

INSTANTIATE_TEST_SUITE_P(EachPinKind, SameSnapshotFromBothSources,
                         ::testing::Combine(::testing::ValuesIn(Cases()), ::testing::Bool()),
                         [](const auto& info) { return bpftest::AttachedOrDetachedName(info); });

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// Many processes with many fds: the iterators' output runs over several reads (records cut across reads are
// put together), fds merge into ranges per process, and the order of processes, threads and pins is the
// /proc scan's.
#include <fcntl.h>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

constexpr int kProcesses = 24;
constexpr int kFds = 400;  // 9,600 fds: about 460 KiB of records, some 8 reads of the iterator

// Given 24 processes each holding 400 fds on a lazily detached filesystem (some read, some write, with
// gaps), and threads with their own tables among them, we should get the same Snapshot from both sources.
TEST(SameSnapshotFromBothSources, WithManyProcessesAndFds) {
  ITEST_REQUIRE_ROOT();
  LoopFs fs;
  const detach::DeviceNumber dev = bpftest::DeviceOf(fs.mountpoint());
  std::vector<HeldFd> held;
  for (int fd = 20; fd < 20 + kFds; ++fd) {
    if (fd % 97 == 0) continue;  // a gap now and then
    const bool write = fd % 50 < 10;
    held.push_back(
        {fs.File(write ? "w" : "r" + std::to_string(fd % 3)), (write ? O_WRONLY : O_RDONLY) | O_CREAT, fd});
  }
  std::vector<ChildProcess> pinners;
  bpftest::DumpFilter filter{{}, {dev}};
  for (int i = 0; i < kProcesses; ++i) {
    if (i % 8 == 3)
      pinners.push_back(SpawnThreadWithOwnFdTable(fs.File("t" + std::to_string(i)), 30));
    else if (i % 8 == 5)
      pinners.push_back(SpawnThreadWithOwnCwd(fs.mountpoint()));
    else
      pinners.push_back(SpawnFdHolder(held));
    filter.pids.insert(pinners.back().pid());
  }
  fs.mount().Detach();
  for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev)) {
    SCOPED_TRACE(tool.name);
    const bpftest::BothSources both = bpftest::TakeFromBothSources(tool.options, filter);
    ASSERT_TRUE(both.bpf_used) << both.bpf_why;
    EXPECT_EQ(both.bpf, both.proc);
  }
}

}  // namespace
}  // namespace itest

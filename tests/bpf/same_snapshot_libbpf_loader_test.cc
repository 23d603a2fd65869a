// SPDX-License-Identifier: GPL-2.0-or-later
// The programs loaded through libbpf's skeleton (what kernels before 5.17, without the in-kernel loader,
// get), forced with DETACH_BPF_LOADER=libbpf: the same Snapshot as from /proc.
#include <fcntl.h>
#include <stdlib.h>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

// Given a lazily detached filesystem pinned in every way at once, we should get from the programs libbpf
// loaded the same Snapshot as from /proc.
TEST(SameSnapshotFromBothSources, WithTheProgramsLibbpfLoaded) {
  ITEST_REQUIRE_ROOT();
  ASSERT_EQ(setenv("DETACH_BPF_LOADER", "libbpf", 1), 0);
  LoopFs fs;
  const detach::DeviceNumber dev = bpftest::DeviceOf(fs.mountpoint());
  ChildProcess cwd = SpawnSleepWithCwd(fs.mountpoint());
  ChildProcess root = SpawnChrooted(fs.mountpoint());
  ChildProcess exe = SpawnSleepFrom(fs.mountpoint());
  ChildProcess mapper = SpawnMapper(fs.File("mapped"));
  ChildProcess thread = SpawnThreadWithOwnCwd(fs.mountpoint());
  ChildProcess fds = SpawnFdHolder({{fs.File("a"), O_RDONLY | O_CREAT, 20},
                                    {fs.File("b"), O_WRONLY | O_CREAT, 21},
                                    {fs.File("c"), O_RDWR | O_CREAT, 22},
                                    {fs.device(), O_RDONLY, 23}});
  fs.mount().Detach();
  const bpftest::DumpFilter filter{{cwd.pid(), root.pid(), exe.pid(), mapper.pid(), thread.pid(), fds.pid()},
                                   {dev}};
  const bpftest::BothSources both = bpftest::TakeFromBothSources(detach::ScanOptions{}, filter);
  ASSERT_TRUE(both.bpf_used) << both.bpf_why;
  EXPECT_EQ(both.bpf_why, "loaded by libbpf");
  EXPECT_EQ(both.bpf, both.proc);
  for (const char* kind : {"cwd", "root", "exe", "mmap", "fd"})
    EXPECT_GE(bpftest::PinsOn(both.bpf, kind, dev), 1) << kind;
}

}  // namespace
}  // namespace itest

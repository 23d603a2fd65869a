// SPDX-License-Identifier: GPL-2.0-or-later
// The programs loaded through libbpf's skeleton (what kernels before 5.17, without the in-kernel loader,
// get), forced with DETACH_BPF_LOADER=libbpf: the same Snapshot as from /proc; and the families the scan
// loads only when it finds a ring or a file in flight load through it too.
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

// Given a lazily detached filesystem held only by a ring's registered file and a file in flight, we should
// get both placed on it by the programs libbpf loaded (ring_files and unix_inflight: no family fell back),
// where /proc places neither.
TEST(SameSnapshotFromBothSources, TheRingAndInFlightFamiliesLibbpfLoaded) {
  ITEST_REQUIRE_ROOT();
  ASSERT_EQ(setenv("DETACH_BPF_LOADER", "libbpf", 1), 0);
  LoopFs fs("ext4");
  const detach::DeviceNumber dev = bpftest::DeviceOf(fs.mountpoint());
  WriteFile(fs.File("ringfile"), "registered\n");
  WriteFile(fs.File("sent"), "in flight\n");
  ChildProcess ring = SpawnRingHolding(fs.File("ringfile"));
  ChildProcess sender = SpawnFileInFlight(fs.File("sent"));
  fs.mount().Detach();
  const bpftest::DumpFilter filter{{ring.pid(), sender.pid()}, {dev}};
  const bpftest::BothSources both = bpftest::TakeFromBothSources(detach::ScanOptions{}, filter);
  ASSERT_TRUE(both.bpf_used) << both.bpf_why;
  EXPECT_EQ(both.bpf_why, "loaded by libbpf");
  for (const char* kind : {"io_uring-file", "files-in-flight"}) {
    EXPECT_EQ(bpftest::PinsOn(both.bpf, kind, dev), 1) << kind << "\n" << both.bpf;
    EXPECT_EQ(bpftest::PinsOn(both.proc, kind, dev), 0) << kind << "\n" << both.proc;
  }
}

}  // namespace
}  // namespace itest

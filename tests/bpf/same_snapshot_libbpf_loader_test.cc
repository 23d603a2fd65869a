// SPDX-License-Identifier: GPL-2.0-or-later
// The programs loaded through libbpf's skeleton (what kernels before 5.17, without the in-kernel loader,
// get), forced with DETACH_BPF_LOADER=libbpf: the same Snapshot as from /proc; and the families the scan
// loads only when it finds a ring, a file in flight, an overlay or a binfmt_misc instance load through it
// too.
#include <fcntl.h>
#include <stdlib.h>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "../integration/probe_scenario.h"
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

// Given a lazily detached filesystem held only by the layers of an overlay lazily detached with nobody to
// record its options (a process stands in it) and by the interpreter of a binfmt_misc entry of an instance no
// mount table shows, we should get both placed on it by the programs libbpf loaded (overlay_layers and
// binfmt_entries: no family fell back), where /proc places neither.
TEST(SameSnapshotFromBothSources, TheOverlayAndBinfmtFamiliesLibbpfLoaded) {
  ITEST_REQUIRE_ROOT();
  EnterPrivateMountNamespace();
  ASSERT_EQ(setenv("DETACH_BPF_LOADER", "libbpf", 1), 0);
  TempDir instance_dir;
  ChildProcess holder = SpawnInDetachedBinfmtInstance(instance_dir.path());
  LoopFs fs("ext4");
  const detach::DeviceNumber dev = bpftest::DeviceOf(fs.mountpoint());
  CopyExecutable("/bin/true", fs.File("interp"));
  BinfmtEntry entry(UniqueName("detach-bpftest-libbpf-"), fs.File("interp"), true,
                    "/proc/" + std::to_string(holder.pid()) + "/cwd");
  for (const char* dir : {"lower", "upper", "work"}) RunOrThrow({"mkdir", fs.File(dir)});
  const std::string merged = fs.dir().MakeDir("o");
  Mount overlay(
      "overlay", merged, "overlay", 0,
      "lowerdir=" + fs.File("lower") + ",upperdir=" + fs.File("upper") + ",workdir=" + fs.File("work"));
  ChildProcess shell = SpawnSleepWithCwd(merged);
  overlay.Detach();
  fs.mount().Detach();
  const bpftest::DumpFilter filter{{shell.pid(), holder.pid()}, {dev}, {merged}};
  const bpftest::BothSources both = bpftest::TakeFromBothSources(detach::ScanOptions{}, filter);
  ASSERT_TRUE(both.bpf_used) << both.bpf_why;
  EXPECT_EQ(both.bpf_why, "loaded by libbpf");
  EXPECT_EQ(bpftest::PinsOn(both.bpf, "overlay-layer", dev), 3) << both.bpf;
  EXPECT_EQ(bpftest::PinsOn(both.bpf, "binfmt-interpreter", dev), 1) << both.bpf;
  EXPECT_EQ(bpftest::PinsOn(both.proc, "overlay-layer", dev), 0) << both.proc;
  EXPECT_EQ(bpftest::PinsOn(both.proc, "binfmt-interpreter", dev), 0) << both.proc;
}

}  // namespace
}  // namespace itest

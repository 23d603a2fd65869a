// SPDX-License-Identifier: GPL-2.0-or-later
// A FUSE filesystem whose daemon is stopped: anything that calls into it waits forever. The BPF programs read
// kernel memory only, so the BPF source must finish as the /proc one does (a hang would end in meson's
// timeout), and give the same Snapshot.
#include <fcntl.h>

#include <thread>

#include "../integration/fuse_daemon.h"
#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

// Given a FUSE filesystem pinned by a cwd, an fd and a mapping, its daemon stopped (past the attribute cache)
// and its mount lazily detached, we should get a snapshot from the BPF source, the same as from /proc.
TEST(SameSnapshotFromBothSources, OnADeadFuseDaemon) {
  ITEST_REQUIRE_ROOT_AND_TOOLS("FUSE_HELLO");
  TempDir dir;
  const std::string mountpoint = dir.MakeDir("fuse");
  FuseDaemon fuse(mountpoint);
  const detach::DeviceNumber dev = bpftest::DeviceOf(mountpoint);
  ChildProcess pinner = ChildProcess::Spawn([&](const ReadyPipe& ready) {
    ChdirOrFail(ready, mountpoint);
    OpenAsFdOrFail(ready, "hello", O_RDONLY, 20);
    ExecSleep(ready);
  });
  WaitForComm(pinner.pid(), "sleep");
  fuse.Stop();
  // The kernel caches the file's attributes for libfuse's attr_timeout (1 s): past it, a stat would wait.
  std::this_thread::sleep_for(1500ms);
  fuse.Detach();
  const bpftest::DumpFilter filter{{pinner.pid()}, {dev}};
  for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev)) {
    SCOPED_TRACE(tool.name);
    const bpftest::BothSources both = bpftest::TakeFromBothSources(tool.options, filter);
    ASSERT_TRUE(both.bpf_used) << both.bpf_why;
    EXPECT_EQ(both.bpf, both.proc);
    EXPECT_EQ(bpftest::PinsOn(both.bpf, "cwd", dev), 1) << both.bpf;
    EXPECT_EQ(bpftest::PinsOn(both.bpf, "fd", dev), 1) << both.bpf;
  }
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// btrfs: stat() gives a file the anonymous device of its subvolume, not the superblock's (mountinfo's
// MAJ:MIN). The BPF source reads it where btrfs_getattr() does; pins in the top volume and in a subvolume,
// attached and lazily detached, must come out as from /proc.
#include <fcntl.h>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

// Given a btrfs with a subvolume, pinned by a cwd in the subvolume and fds in both, we should get the same
// Snapshot from both sources, and the subvolume's own device on the pin in it, as stat() says.
TEST(SameSnapshotFromBothSources, OnBtrfsSubvolumes) {
  ITEST_REQUIRE_ROOT();
  LoopFs fs("btrfs", 256);
  RunOrThrow({"btrfs", "-q", "subvolume", "create", fs.File("sub")});
  WriteFile(fs.File("sub/file"), "in the subvolume\n");
  WriteFile(fs.File("top"), "in the top volume\n");
  const detach::DeviceNumber top = bpftest::DeviceOf(fs.File("top"));
  const detach::DeviceNumber sub = bpftest::DeviceOf(fs.File("sub/file"));
  ASSERT_NE(top, sub);  // the case this test is about
  ChildProcess cwd = SpawnSleepWithCwd(fs.File("sub"));
  ChildProcess fds = SpawnFdHolder({{fs.File("top"), O_RDONLY, 20}, {fs.File("sub/file"), O_RDWR, 21}});
  const bpftest::DumpFilter filter{{cwd.pid(), fds.pid()}, {top, sub}};
  for (bool detached : {false, true}) {
    if (detached) fs.mount().Detach();
    for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(top)) {
      SCOPED_TRACE(tool.name + (detached ? ", detached" : ", attached"));
      const bpftest::BothSources both = bpftest::TakeFromBothSources(tool.options, filter);
      ASSERT_TRUE(both.bpf_used) << both.bpf_why;
      EXPECT_EQ(both.bpf, both.proc);
      EXPECT_EQ(bpftest::PinsOn(both.bpf, "cwd", sub), 1) << both.bpf;
      EXPECT_EQ(bpftest::PinsOn(both.bpf, "fd", sub), 1) << both.bpf;
      EXPECT_EQ(bpftest::PinsOn(both.bpf, "fd", top), 1) << both.bpf;
    }
  }
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// Hostile names (spaces, newlines, bytes that are not UTF-8) in the mount point, a directory, a file, a
// mapped file and a command name: the paths a view prints still come from /proc, and must be the same bytes
// whichever source gave the pins.
#include <fcntl.h>
#include <sys/stat.h>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

const std::string kMountName = "mnt with space\nnewline \xff\xfe end";
const std::string kDirName = "dir \n\xc3\x28";
const std::string kFileName = "file name\n\xff";

// Given a filesystem with hostile names, pinned by a cwd, fds, a mapping and a hostile command name, attached
// and then lazily detached, we should get the same Snapshot from both sources, paths byte for byte.
TEST(SameSnapshotFromBothSources, WithHostilePaths) {
  ITEST_REQUIRE_ROOT();
  LoopFs fs("ext2", 64, true, kMountName);
  const detach::DeviceNumber dev = bpftest::DeviceOf(fs.mountpoint());
  const std::string dir = fs.File(kDirName);
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  ChildProcess cwd = ChildProcess::Spawn([&](const ReadyPipe& ready) {
    ChdirOrFail(ready, dir);
    SetCommOrFail(ready, "bad \xff\nname");
    ready.Signal();
    PauseForever();
  });
  ChildProcess fds = SpawnFdHolder({{dir + "/" + kFileName, O_WRONLY | O_CREAT, 20},
                                    {dir + "/" + kFileName + " 2", O_RDONLY | O_CREAT, 21},
                                    {dir, O_PATH, 22}});
  ChildProcess mapper = SpawnMapper(dir + "/mapped \n\xfe");
  const bpftest::DumpFilter filter{{cwd.pid(), fds.pid(), mapper.pid()}, {dev}};
  for (bool detached : {false, true}) {
    if (detached) fs.mount().Detach();
    for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev)) {
      SCOPED_TRACE(tool.name + (detached ? ", detached" : ", attached"));
      const bpftest::BothSources both = bpftest::TakeFromBothSources(tool.options, filter);
      ASSERT_TRUE(both.bpf_used) << both.bpf_why;
      EXPECT_EQ(both.bpf, both.proc);
    }
  }
  const detach::ScanOptions fd_paths = bpftest::ToolOptions(dev)[1].options;
  const bpftest::BothSources both = bpftest::TakeFromBothSources(fd_paths, filter);
  EXPECT_NE(both.bpf.find("path=/" + kDirName + "/" + kFileName + " "), std::string::npos) << both.bpf;
}

}  // namespace
}  // namespace itest

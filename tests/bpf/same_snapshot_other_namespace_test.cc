// SPDX-License-Identifier: GPL-2.0-or-later
// Pinners in another mount namespace: one holds the copy of a filesystem there (cwd and an fd) after our own
// mount of it is lazily detached, one holds the namespace itself by an nsfs fd, one pins the detached mount
// from ours. Both sources must give the same Snapshot.
#include <fcntl.h>
#include <sys/mount.h>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

// A fork of this binary in a mount namespace of its own (a copy of every mount), its cwd and fd 20 in DIR's
// copy there. Comm "pin-other-ns".
ChildProcess SpawnPinnerInNewNamespace(const std::string& dir) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    if (unshare(CLONE_NEWNS) != 0) ready.Fail("unshare(CLONE_NEWNS)");
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ready.Fail("make / private");
    ChdirOrFail(ready, dir);
    OpenAsFdOrFail(ready, dir + "/held", O_RDWR | O_CREAT, 20);
    SetCommOrFail(ready, "pin-other-ns");
    ready.Signal();
    PauseForever();
  });
}

// Given a filesystem copied into another namespace and pinned there, our mount of it lazily detached and
// pinned here too, and the other namespace held by an nsfs fd as well, we should get the same Snapshot from
// the BPF iterators as from /proc, with each tool's options.
TEST(SameSnapshotFromBothSources, WithPinnersInAnotherMountNamespace) {
  ITEST_REQUIRE_ROOT();
  EnterFreshNamespaceOnThisCpu();
  LoopFs fs;
  const detach::DeviceNumber dev = bpftest::DeviceOf(fs.mountpoint());
  ChildProcess elsewhere = SpawnPinnerInNewNamespace(fs.mountpoint());
  const std::string other_ns = "/proc/" + std::to_string(elsewhere.pid()) + "/ns/mnt";
  ChildProcess ns_holder = SpawnFdHolder({{other_ns, O_RDONLY, 20}});
  ChildProcess here = SpawnSleepWithCwd(fs.mountpoint());
  fs.mount().Detach();

  const bpftest::DumpFilter filter{{elsewhere.pid(), ns_holder.pid(), here.pid()}, {dev}};
  for (const bpftest::NamedOptions& tool : bpftest::ToolOptions(dev)) {
    SCOPED_TRACE(tool.name);
    const bpftest::BothSources both = bpftest::TakeFromBothSources(tool.options, filter);
    ASSERT_TRUE(both.bpf_used) << both.bpf_why;
    EXPECT_EQ(both.bpf, both.proc);
    EXPECT_EQ(bpftest::PinsOn(both.bpf, "cwd", dev), 2) << both.bpf;
    EXPECT_EQ(bpftest::PinsOn(both.bpf, "fd", dev), 1) << both.bpf;
  }
}

}  // namespace
}  // namespace itest

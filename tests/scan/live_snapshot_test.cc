// SPDX-License-Identifier: GPL-2.0-or-later
// The scan on real parts: unique ids, threads with their own cwd, internal mounts, namespaces kept by nsfs.
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "../integration/harness.h"
#include "scan/scan.h"

namespace itest {
namespace {

detach::Snapshot Take() {
  auto snapshot = detach::take_snapshot(detach::ScanOptions{});
  if (!snapshot) throw std::runtime_error(snapshot.error().message());
  return std::move(*snapshot);
}

const detach::Mount* DetachedOn(const detach::Snapshot& snapshot, const std::string& device) {
  for (const detach::Mount* m : snapshot.detached_mounts())
    if (m->source == device) return m;
  return nullptr;
}

// Given a mount id from statx of a pinner's cwd, we should key the detached mount on exactly that unique id,
// and know the old (mountinfo) id it had.
TEST(LiveSnapshot, DetachedMountIsKeyedOnTheUniqueIdOfItsPins) {
  ITEST_REQUIRE_ROOT();
  LoopFs fs;
  std::uint64_t id = fs.mount().unique_id();
  ChildProcess pinner = SpawnSleepWithCwd(fs.mountpoint());
  fs.mount().Detach();
  detach::Snapshot snapshot = Take();
  EXPECT_EQ(snapshot.id_kind, detach::IdKind::Unique);
  const detach::Mount* m = DetachedOn(snapshot, fs.device());
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->key, id);
  EXPECT_EQ(m->unique_id, id);
  EXPECT_NE(m->old_id, 0u);
  EXPECT_EQ(m->fstype, "ext2");
  EXPECT_FALSE(m->attached);
  auto pins = snapshot.pins_of(m->key);
  ASSERT_EQ(pins.size(), 1u);
  EXPECT_EQ(pins[0]->pid, pinner.pid());
  EXPECT_EQ(pins[0]->kind, detach::PinKind::Cwd);
  EXPECT_EQ(pins[0]->path, "/");  // relative to the detached root, not a host path
  const detach::Task* task = snapshot.task(pinner.pid());
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->command, "sleep");
  EXPECT_EQ(task->user, "root");
}

// Given a scan told not to describe one detached mount, we should still list it by its ids and device, with
// its pins, but without what only sysfs, blkid or a call into the fs tell.
TEST(LiveSnapshot, DetachedMountNotToDescribeKeepsItsIdsOnly) {
  ITEST_REQUIRE_ROOT();
  LoopFs fs;
  const std::uint64_t id = fs.mount().unique_id();
  ChildProcess pinner = SpawnSleepWithCwd(fs.mountpoint());
  fs.mount().Detach();
  detach::ScanOptions options;
  options.describe_detached = [id](const detach::Mount& m) { return m.key != id; };
  auto snapshot = detach::take_snapshot(options);
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message();
  const detach::Mount* m = snapshot->mount(id);
  ASSERT_NE(m, nullptr);
  EXPECT_FALSE(m->attached);
  EXPECT_NE(m->old_id, 0u);
  EXPECT_TRUE(m->source.empty()) << m->source;
  EXPECT_TRUE(m->fstype.empty()) << m->fstype;
  EXPECT_TRUE(m->vfs_options.empty()) << m->vfs_options;
  EXPECT_EQ(snapshot->pins_of(id).size(), 1u);
}

// Given a process with pipes, sockets and memfds open, we should list none of their kernel-internal mounts as
// detached. (Only that process is looked at: the host may have real detached mounts of its own.)
TEST(LiveSnapshot, KernelInternalMountsAreNotDetached) {
  ITEST_REQUIRE_ROOT();
  ChildProcess holder = ChildProcess::Spawn([](const ReadyPipe& ready) {
    int fds[2];
    if (::pipe(fds) != 0) ready.Fail("pipe");
    if (::socket(AF_INET, SOCK_DGRAM, 0) < 0) ready.Fail("socket");
    if (::memfd_create("itest", 0) < 0) ready.Fail("memfd_create");
    ready.Signal();
    PauseForever();
  });
  detach::Snapshot snapshot = Take();
  ASSERT_NE(snapshot.task(holder.pid()), nullptr) << "the holder was not scanned";
  for (const detach::Mount* m : snapshot.detached_mounts())
    for (const detach::Pin* pin : snapshot.pins_of(m->key))
      if (pin->pid == holder.pid())
        ADD_FAILURE() << "unexpected detached mount " << m->key << " " << m->fstype << " " << m->source
                      << " pinned by the holder's " << detach::pin_kind_name(pin->kind) << " " << pin->fd;
}

// Given a thread that unshared its fs_struct and moved its cwd into the fs, we should name that thread.
TEST(LiveSnapshot, ThreadWithItsOwnCwdIsAPinner) {
  ITEST_REQUIRE_ROOT();
  LoopFs fs;
  std::string dir = fs.mountpoint();
  ChildProcess child = ChildProcess::Spawn([dir](const ReadyPipe& ready) {
    std::thread([&ready, dir] {
      if (::unshare(CLONE_FS) != 0) ready.Fail("unshare(CLONE_FS)");
      if (::chdir(dir.c_str()) != 0) ready.Fail("chdir");
      ready.Signal(::gettid());
      PauseForever();
    }).join();
  });
  pid_t tid = static_cast<pid_t>(child.ready_value());
  fs.mount().Detach();
  detach::Snapshot snapshot = Take();
  const detach::Mount* m = DetachedOn(snapshot, fs.device());
  ASSERT_NE(m, nullptr);
  auto pins = snapshot.pins_of(m->key);
  ASSERT_EQ(pins.size(), 1u);
  EXPECT_EQ(pins[0]->pid, child.pid());
  EXPECT_EQ(pins[0]->tid, tid);
  EXPECT_EQ(pins[0]->kind, detach::PinKind::Cwd);
}

// Given a mount namespace whose last task ended but that an nsfs bind mount keeps alive, we should still
// list its mounts and say what keeps it.
TEST(LiveSnapshot, NamespaceKeptOnlyByAnNsfsMountIsListed) {
  ITEST_REQUIRE_ROOT();
  LoopFs fs;
  TempDir dir;
  std::string holder = dir.path() + "/ns";
  WriteFile(holder, "");
  EnterFreshNamespaceOnThisCpu();  // so that the child's namespace can be bound here (see harness.h)
  ChildProcess child = ChildProcess::Spawn([](const ReadyPipe& ready) {
    if (::unshare(CLONE_NEWNS) != 0) ready.Fail("unshare(CLONE_NEWNS)");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ready.Fail("make-rprivate");
    ready.Signal();
    PauseForever();
  });
  std::string ns_path = "/proc/" + std::to_string(child.pid()) + "/ns/mnt";
  struct stat st {};
  ASSERT_EQ(::stat(ns_path.c_str(), &st), 0);
  ASSERT_EQ(::mount(ns_path.c_str(), holder.c_str(), nullptr, MS_BIND, nullptr), 0) << std::strerror(errno);
  const std::uint64_t ns_inode = st.st_ino;
  child.Kill();
  fs.mount().Unmount();
  detach::Snapshot snapshot = Take();
  const detach::Namespace* kept = nullptr;
  for (const detach::Namespace& ns : snapshot.namespaces)
    if (ns.inode == ns_inode) kept = &ns;
  ::umount2(holder.c_str(), MNT_DETACH);
  ASSERT_NE(kept, nullptr);
  EXPECT_TRUE(kept->tasks.empty());
  // Ours, and maybe a copy of it: a test beside this one that makes a namespace of its own meanwhile copies
  // every mount it sees, nsfs mounts too.
  EXPECT_THAT(kept->kept_alive_by, ::testing::Contains("nsfs mount " + holder));
  bool copy_listed = false;
  for (detach::MountKey key : kept->mounts)
    if (snapshot.mounts.at(key).source == fs.device()) copy_listed = true;
  EXPECT_TRUE(copy_listed) << "the copy of " << fs.device() << " in the kept namespace";
}

}  // namespace
}  // namespace itest

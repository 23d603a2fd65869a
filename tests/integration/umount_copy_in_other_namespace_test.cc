// A plain umount returns 0 while a copy of the mount in another mount namespace keeps the filesystem (and its
// device) alive: a script that then runs losetup -d or mkfs races the kernel. We say where it lives on and
// who owns that namespace; `umount --wait` returns only once that copy is gone and the device is free.
#include <sys/mount.h>
#include <sys/stat.h>

#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

// A fork of this binary in a new mount namespace (propagation private), holding a copy of every mount.
ChildProcess SpawnNamespaceHolder() {
  return ChildProcess::Spawn([](const ReadyPipe& ready) {
    if (unshare(CLONE_NEWNS) != 0) ready.Fail("unshare(CLONE_NEWNS)");
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ready.Fail("make / private");
    SetCommOrFail(ready, "ns-holder");
    ready.Signal();
    PauseForever();
  });
}

std::string NamespaceInode(pid_t pid) {
  struct stat st {};
  if (stat(("/proc/" + std::to_string(pid) + "/ns/mnt").c_str(), &st) != 0)
    throw std::runtime_error("stat ns");
  return std::to_string(st.st_ino);
}

class CopyInAnotherNamespaceKeepsItAlive : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT");
    EnterPrivateMountNamespace();
    fs_.emplace();
    holder_.emplace(SpawnNamespaceHolder());
  }
  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> holder_;
};

// Given the copy, a plain umount exits 0 and says the filesystem lives on, where, and who is in that
// namespace; the device is indeed still claimed.
TEST_F(CopyInAnotherNamespaceKeepsItAlive, PlainUmountSaysWhereItLivesOn) {
  const std::string mnt = fs_->mountpoint();
  RunResult r = RunCommand({Umount(), mnt});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  std::vector<std::string> lines = Lines(r.err);
  ASSERT_EQ(lines.size(), 3u) << r.Describe();
  EXPECT_EQ(lines[0], "umount: " + mnt + ": unmounted, but its filesystem lives on");
  EXPECT_EQ(lines[1], kIndent + "it is still mounted at " + mnt + " in mount namespace mnt:[" +
                          NamespaceInode(holder_->pid()) +
                          "] (process in it: " + std::to_string(holder_->pid()) + " (ns-holder))");
  EXPECT_THAT(lines[2], HasSubstr("umount --wait waits for its end"));
  EXPECT_FALSE(Mounted(mnt));
  EXPECT_FALSE(DeviceIsFree(fs_->device()));
}

// Given the copy, umount --wait waits; once the namespace's last process ends, it returns 0 with the device
// free at that very moment.
TEST_F(CopyInAnotherNamespaceKeepsItAlive, WaitReturnsOnceTheCopyIsGone) {
  BackgroundCommand umount({Umount(), "--wait", fs_->mountpoint()});
  ASSERT_TRUE(umount.WaitForStderr("waiting for its end\n", 30s)) << umount.Finish(1s).Describe();
  EXPECT_EQ(kill(umount.pid(), 0), 0) << "umount --wait returned while the copy lives";
  holder_->Kill();
  RunResult r = umount.Finish();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(DeviceIsFree(fs_->device()));
}

}  // namespace
}  // namespace itest

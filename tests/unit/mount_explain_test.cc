// SPDX-License-Identifier: GPL-2.0-or-later
// "Why is this mount busy?" and "what keeps its filesystem alive?" on hand-built snapshots: the reasons as
// data, and the lines umount prints after "target is busy." and after a umount that left the filesystem
// alive.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "explain/mount.h"
#include "explain/mount_text.h"
#include "hand_built_snapshot.h"

namespace detach {
namespace {

constexpr std::uint64_t kOwnNs = 4026531841;
constexpr std::uint64_t kOtherNs = 4026532290;
constexpr DeviceNumber kLoop3{7, 3};
constexpr MountKey kTarget = 100;
constexpr pid_t kUmount = 900, kSudo = 901, kShell = 902;

class MountExplain : public HandBuiltSnapshot {
 protected:
  MountExplain() {
    AddMount(1, 1, {8, 1}, "/", "ext4");
    AddMount(kTarget, 1, kLoop3, "/mnt/x", "ext2");
    AddTask(1234, "sleep");
    AddTask(1240, "vim");
    AddTask(kUmount, "umount");
    AddTask(kSudo, "sudo");
    AddTask(kShell, "bash");
  }

  Mount& AddMount(MountKey key, MountKey parent, DeviceNumber dev, std::string target, std::string fstype,
                  bool attached = true, std::uint64_t ns = kOwnNs) {
    Mount& m = snapshot_.mounts[key];
    m.key = m.unique_id = key;
    m.parent = parent;
    m.dev = dev;
    m.target = std::move(target);
    m.fstype = std::move(fstype);
    m.attached = attached;
    m.ns_inode = attached ? ns : 0;
    return m;
  }
  std::vector<std::string> Busy(std::vector<pid_t> chain = {kUmount, kShell},
                                const MountTextOptions& options = {}) {
    snapshot_.build_superblocks();
    report_ = explain_busy_mount(snapshot_, snapshot_.mounts.at(kTarget), {std::move(chain)});
    return busy_text(snapshot_, report_, options);
  }
  std::vector<std::string> Survival(Survival when, const MountTextOptions& options = {}) {
    snapshot_.build_superblocks();
    report_ = explain_survival(snapshot_, kTarget, kLoop3, kOwnNs);
    return survival_text(snapshot_, report_, when, options);
  }

  MountReport report_;
};

// Given the user's shell standing in the mount (and so umount, which inherited its cwd), and another pinner,
// we should say first that the shell is inside, in words they act on, and not name the shell again.
TEST_F(MountExplain, CallersShellInsideIsSaidFirst) {
  AddPin(PinKind::Cwd, kTarget, kUmount);
  AddPin(PinKind::Cwd, kTarget, kShell);
  AddPin(PinKind::Cwd, kTarget, 1234);
  std::vector<std::string> lines = Busy();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "your shell, pid 902 (bash), is inside /mnt/x: cd out of it");
  EXPECT_EQ(lines[1], "/mnt/x is pinned by 1234 (sleep) cwd");
  ASSERT_FALSE(report_.reasons.empty());
  EXPECT_EQ(report_.reasons[0].kind, MountReasonKind::CallerInside);
  EXPECT_EQ(report_.reasons[0].caller_pid, kUmount);
  EXPECT_EQ(report_.reasons[0].generation, 0u);
}

// Given sudo between umount and the shell, all inside: sudo only inherited the cwd, the shell is to move.
TEST_F(MountExplain, ProcessBetweenUmountAndShellIsNotNamed) {
  AddPin(PinKind::Cwd, kTarget, kUmount);
  AddPin(PinKind::Cwd, kTarget, kSudo);
  AddPin(PinKind::Cwd, kTarget, kShell);
  EXPECT_EQ(Busy({kUmount, kSudo, kShell}),
            std::vector<std::string>{"your shell, pid 902 (bash), is inside /mnt/x: cd out of it"});
}

// Given the shell's cwd in a submount, we should name the submount the shell is in.
TEST_F(MountExplain, ShellInsideASubmountNamesTheSubmount) {
  AddMount(101, kTarget, {0, 44}, "/mnt/x/sub", "tmpfs");
  AddPin(PinKind::Cwd, 101, kShell);
  std::vector<std::string> lines = Busy();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "your shell, pid 902 (bash), is inside /mnt/x/sub: cd out of it");
}

// Given only umount's own cwd inside (what started it is elsewhere), we should say so.
TEST_F(MountExplain, UmountStartedInsideIsSaid) {
  AddPin(PinKind::Cwd, kTarget, kUmount);
  EXPECT_EQ(
      Busy({kUmount, kSudo}),
      std::vector<std::string>{"umount itself was started inside /mnt/x: run it from another directory"});
}

// Given umount's own stdout redirected into the mount, we should say that, whatever else pins it.
TEST_F(MountExplain, UmountsOwnOutputOnTheMountIsSaid) {
  AddPin(PinKind::Fd, kTarget, kUmount, 1, Access::Write);
  AddPin(PinKind::Fd, kTarget, kShell, 1, Access::Write);
  std::vector<std::string> lines = Busy();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "umount's own fd 1 (write) is on /mnt/x: send it elsewhere");
  EXPECT_EQ(lines[1], "your shell, pid 902 (bash), holds fd 1 (write) on /mnt/x");
}

// Given submounts, one pinned, we should name each (with its pinners) and say how to unmount them all.
TEST_F(MountExplain, SubmountsAndTheirPinnersAreNamed) {
  AddMount(101, kTarget, {0, 44}, "/mnt/x/b", "tmpfs");
  AddMount(102, kTarget, {0, 45}, "/mnt/x/a", "tmpfs");
  AddMount(103, 101, {0, 46}, "/mnt/x/b/deep", "tmpfs");
  AddMount(104, 1, {0, 47}, "/mnt/y", "tmpfs");
  AddPin(PinKind::Fd, 103, 1240, 4, Access::Read);
  std::vector<std::string> lines = Busy();
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "/mnt/x/a is mounted inside it", "/mnt/x/b is mounted inside it",
                       "/mnt/x/b/deep is mounted inside it and pinned by 1240 (vim) fd 4 (read)",
                       "unmount what is mounted inside it first, or all at once with umount -R"}));
}

TEST_F(MountExplain, ManySubmountsAreCounted) {
  for (MountKey k = 0; k < 8; ++k)
    AddMount(200 + k, kTarget, {0, 50}, "/mnt/x/s" + std::to_string(k), "tmpfs");
  std::vector<std::string> lines = Busy();
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[5], "and 3 more mounts inside it");
}

// Given a loop device and a swap file backed by files on the filesystem, we should name each with what to do.
TEST_F(MountExplain, LoopDeviceAndSwapFileOnTheFilesystemAreNamed) {
  AddKernelPin(PinKind::LoopBacking, kLoop3, "/dev/loop9", "/mnt/x/disk.img");
  AddKernelPin(PinKind::SwapFile, kLoop3, "/mnt/x/swap", "/mnt/x/swap");
  AddKernelPin(PinKind::LoopBacking, {8, 1}, "/dev/loop8", "/elsewhere.img");
  EXPECT_EQ(Busy(), (std::vector<std::string>{
                        "/dev/loop9 is backed by /mnt/x/disk.img, a file on its filesystem: detach it first "
                        "(losetup -d /dev/loop9)",
                        "the active swap file /mnt/x/swap is on its filesystem: swapoff it first"}));
}

// Given a pinned copy of the mount in another namespace (umount propagates to shared copies), we should name
// the namespace, who is in it, their unit, and the pinner; an unpinned copy is no reason for EBUSY.
TEST_F(MountExplain, PinnedCopyInAnotherNamespaceIsNamedWithItsOwner) {
  AddTask(4321, "nginx", "docker-ab12.scope");
  AddNamespace(kOwnNs, {kUmount, kShell});
  AddNamespace(kOtherNs, {4321});
  AddMount(300, 299, kLoop3, "/mnt/x", "ext2", true, kOtherNs);
  AddMount(301, 299, kLoop3, "/srv/x", "ext2", true, 4026532999);
  AddPin(PinKind::Cwd, 300, 4321);
  std::vector<std::string> lines = Busy();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(
      lines[0],
      "its copy in mount namespace mnt:[4026532290] (process in it: 4321 (nginx); unit docker-ab12.scope) is "
      "pinned by 4321 (nginx) cwd (umount propagates to shared copies)");
}

// Given a busy root-like mount with many pinners, we should name a few and say where to see them all.
TEST_F(MountExplain, ManyPinnersAreCountedAndVerboseNamesThemAll) {
  for (pid_t pid = 2000; pid < 2010; ++pid) {
    AddTask(pid, "worker");
    AddPin(PinKind::Cwd, kTarget, pid);
  }
  std::vector<std::string> lines = Busy();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].starts_with("/mnt/x is pinned by 10 processes: 2000 (worker) cwd, ")) << lines[0];
  EXPECT_TRUE(lines[0].ends_with(" and 5 more (fuser -vm /mnt/x lists them all)")) << lines[0];
  std::vector<std::string> verbose = Busy({}, {true, false, {}});
  ASSERT_EQ(verbose.size(), 11u);
  EXPECT_TRUE(verbose[0].ends_with("2009 (worker) cwd")) << verbose[0];
  EXPECT_EQ(verbose[1], "  2000 (worker): user root, unit session-1.scope");
}

// Given a mount point with a newline in it, every line should stay one line.
TEST_F(MountExplain, HostileTargetStaysOnItsLine) {
  snapshot_.mounts.at(kTarget).target = "/mnt/a\nb";
  AddPin(PinKind::Cwd, kTarget, kShell);
  std::vector<std::string> lines = Busy();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find('\n'), std::string::npos);
  EXPECT_NE(lines[0].find("/mnt/a\\x0ab"), std::string::npos) << lines[0];
}

// Given a lazily detached mount pinned by two processes, we should say it lives on, by whom, and how to see
// it.
TEST_F(MountExplain, LazilyDetachedAndPinnedIsReported) {
  Mount& m = snapshot_.mounts.at(kTarget);
  m.attached = false;
  m.ns_inode = 0;
  m.source = "/dev/loop3";
  AddPin(PinKind::Cwd, kTarget, 1234);
  AddPin(PinKind::Fd, kTarget, 1240, 7, Access::Write);
  EXPECT_EQ(Survival(Survival::AfterLazyUmount),
            (std::vector<std::string>{
                "lazily unmounted, but its filesystem lives on, pinned by 2 processes: "
                "1234 (sleep) cwd, 1240 (vim) fd "
                "7 (write)",
                "findmnt --detached shows it; mkfs-guard --wait /dev/loop3 waits for its end"}));
  // Without a device (a tmpfs), nothing is left to wait on but the pinners.
  m.source = "tmpfs";
  EXPECT_EQ(Survival(Survival::AfterLazyUmount).back(), "findmnt --detached shows it");
  EXPECT_EQ(Survival(Survival::AfterLazyUmount, {false, true, {}}).back(),
            "waiting for its end (findmnt --detached shows it)");
  EXPECT_EQ(Survival(Survival::WaitTimedOut).front().substr(0, 41),
            "gave up waiting: its filesystem lives on,");
}

// Given a plain umount whose filesystem is still mounted in another namespace, we should say where and whose.
TEST_F(MountExplain, CopyElsewhereKeepingAPlainlyUnmountedFilesystemIsReported) {
  snapshot_.mounts.erase(kTarget);
  AddNamespace(kOtherNs, {}, {"nsfs mount /run/netns/x"});
  AddMount(300, 299, kLoop3, "/mnt/x", "ext2", true, kOtherNs);
  EXPECT_EQ(Survival(Survival::AfterPlainUmount),
            (std::vector<std::string>{
                "unmounted, but its filesystem lives on",
                "it is still mounted at /mnt/x in mount namespace mnt:[4026532290] (no process in it; kept "
                "alive by "
                "nsfs mount /run/netns/x)",
                "losetup -d, mkfs and the like would race with it; umount --wait waits for such an end"}));
  ASSERT_EQ(report_.reasons.size(), 1u);
  EXPECT_EQ(report_.reasons[0].kind, MountReasonKind::OtherNamespace);
  EXPECT_EQ(report_.reasons[0].ns_id, 1290u);
}

// Given another mount of the filesystem in the same namespace (a bind mount), nothing unexpected lives on.
TEST_F(MountExplain, BindMountHereIsNothingToReport) {
  snapshot_.mounts.erase(kTarget);
  AddMount(300, 1, kLoop3, "/srv/bind", "ext2");
  EXPECT_TRUE(Survival(Survival::AfterPlainUmount).empty());
  ASSERT_EQ(report_.reasons.size(), 1u);
  EXPECT_EQ(report_.reasons[0].kind, MountReasonKind::OtherMountHere);
}

// Given nothing that keeps it (an idle lazy umount), umount says nothing, exactly like util-linux.
TEST_F(MountExplain, NothingKeepingItSaysNothing) {
  snapshot_.mounts.erase(kTarget);
  EXPECT_TRUE(Survival(Survival::AfterLazyUmount).empty());
  EXPECT_TRUE(report_.reasons.empty());
}

// Given another detached mount of the same filesystem, pinned, and a loop device on it, both are named.
TEST_F(MountExplain, OtherDetachedMountAndLoopDeviceAreNamed) {
  snapshot_.mounts.erase(kTarget);
  AddMount(400, 0, kLoop3, "/old/place", "ext2", false);
  AddPin(PinKind::Cwd, 400, 1234);
  AddKernelPin(PinKind::LoopBacking, kLoop3, "/dev/loop9", "/disk.img");
  std::vector<std::string> lines = Survival(Survival::AfterPlainUmount);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1], "another lazily unmounted mount of it (from /old/place) is pinned by 1234 (sleep) cwd");
  EXPECT_EQ(lines[2],
            "/dev/loop9 is backed by /disk.img, a file on it: detach it first (losetup -d /dev/loop9)");
}

}  // namespace
}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// A copy of the mount in another mount namespace keeps the superblock alive after our lazy umount; lsof and
// our own mount table show nothing. Also when that namespace has no task left and only an nsfs bind mount
// keeps it alive.
#include <sys/mount.h>
#include <sys/stat.h>

#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class CopyInAnotherNamespace : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    EnterFreshNamespaceOnThisCpu();
    fs_.emplace();
    holder_.emplace(SpawnInNewMountNamespace());
    ns_inode_ = MountNamespaceInode(holder_->pid());
  }

  // Binds the holder's namespace onto TEMP/nsfile, then ends the holder: only the nsfs mount keeps it.
  void KeepNamespaceOnlyByNsfsMount() {
    const std::string nsfile = fs_->dir().path() + "/nsfile";
    WriteFile(nsfile, "");
    nsfs_.emplace(Mount::Bind("/proc/" + std::to_string(holder_->pid()) + "/ns/mnt", nsfile));
    holder_->Kill();
  }

  // Lazily unmounts ours and asks mkfs-guard about the device, which the copy elsewhere keeps busy.
  RunResult GuardAfterDetach() {
    fs_->mount().Detach();
    RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
    EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
    EXPECT_THAT(FirstLine(guard.out), HasSubstr(fs_->device() + " is busy: ")) << guard.Describe();
    return guard;
  }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> holder_;
  std::optional<Mount> nsfs_;  // destroyed first: the namespace and its copy go with it
  std::string ns_inode_;
};

// Given a copy of the mount in another namespace with a task in it, and our mount lazily unmounted, we should
// hear from mkfs-guard that the device is busy and in which namespace it is still mounted.
TEST_F(CopyInAnotherNamespace, MkfsGuardNamesTheNamespaceWithATask) {
  const RunResult guard = GuardAfterDetach();
  EXPECT_THAT(guard.out, HasSubstr(ns_inode_)) << "namespace mnt:[" << ns_inode_ << "] not named\n"
                                               << guard.Describe();
}

// Given a copy of the mount in a namespace that no task is in, kept alive only by an nsfs bind mount, we
// should still hear from mkfs-guard which namespace holds the device.
TEST_F(CopyInAnotherNamespace, MkfsGuardNamesTheNamespaceKeptByAnNsfsMount) {
  KeepNamespaceOnlyByNsfsMount();
  const RunResult guard = GuardAfterDetach();
  EXPECT_THAT(guard.out, HasSubstr(ns_inode_)) << "namespace mnt:[" << ns_inode_ << "] not named\n"
                                               << guard.Describe();
}

// Given the same, we should hear from mkfs-guard what keeps the task-less namespace alive: the nsfs mount.
TEST_F(CopyInAnotherNamespace, MkfsGuardNamesTheNsfsMountKeepingTheNamespace) {
  KeepNamespaceOnlyByNsfsMount();
  const RunResult guard = GuardAfterDetach();
  EXPECT_THAT(guard.out, HasSubstr(nsfs_->target())) << "the nsfs mount keeping it is not named\n"
                                                     << guard.Describe();
}

// Given the namespace kept only by the nsfs mount, we should get a JSON document with a reason from
// mkfs-guard -J (exit 1, busy).
TEST_F(CopyInAnotherNamespace, MkfsGuardJsonSaysBusyForTheNsfsKeptCopy) {
  KeepNamespaceOnlyByNsfsMount();
  fs_->mount().Detach();
  const RunResult guard = RunCommand({MkfsGuard(), "-J", fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::optional<nlohmann::json> doc = ParseJson(guard.out);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->value("busy", nlohmann::json()), true) << doc->dump(2);
  EXPECT_FALSE(Reasons(*doc).empty()) << doc->dump(2);
  EXPECT_THAT(guard.out, HasSubstr(ns_inode_)) << doc->dump(2);
}

}  // namespace
}  // namespace itest

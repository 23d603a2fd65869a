// SPDX-License-Identifier: GPL-2.0-or-later
// A loop device is reused all the time: the journal may hold a record of a filesystem that was on the device
// before the one alive there now. When the filesystem alive now is known only by its device (an overlay
// holds it after a plain umount nothing recorded), a record made before it was mounted is not its former
// mount point; a record made after is.
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <ctime>

#include "journal/journal.h"
#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class JournalRecordOfAnEarlierFilesystem : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD", "FINDMNT");
    EnterPrivateMountNamespace();
    fs_.emplace("ext4");
    mounted_at_ = static_cast<long long>(std::time(nullptr));
    for (const char* dir : {"lower", "upper", "work"}) RunOrThrow({"mkdir", fs_->File(dir)});
    merged_ = fs_->dir().MakeDir("o");
    overlay_.emplace("overlay", merged_, "overlay", 0,
                     "lowerdir=" + fs_->File("lower") + ",upperdir=" + fs_->File("upper") +
                         ",workdir=" + fs_->File("work"));
    // A plain umount nothing records: the overlay keeps the filesystem alive, mounted nowhere.
    fs_->mount().Unmount();
  }

  // A record of a detach of this device from FORMER at AT, as umount writes one.
  void Journal(const std::string& former, long long at) const {
    struct stat st {};
    ASSERT_EQ(stat(fs_->device().c_str(), &st), 0);
    auto boot = detach::current_boot_id();
    ASSERT_TRUE(boot.has_value());
    detach::DetachRecord r;
    r.boot_id = *boot;
    r.dev = detach::DeviceNumber{major(st.st_rdev), minor(st.st_rdev)};
    r.detached_at = at;
    r.target = former;
    r.source = fs_->device();
    r.fstype = "ext4";
    r.recorded_by = "umount";
    ASSERT_TRUE(detach::DetachJournal().append(r));
  }

  std::optional<LoopFs> fs_;
  long long mounted_at_ = 0;
  std::string merged_;
  std::optional<Mount> overlay_;  // unmounted first: the filesystem then ends
};

// Given a record of a filesystem detached from /srv/earlier a minute before this one was mounted, mkfs-guard
// and findmnt --detached never give this filesystem that mount point: it is mounted nowhere.
TEST_F(JournalRecordOfAnEarlierFilesystem, ARecordFromBeforeTheMountIsNotItsFormerMountPoint) {
  Journal("/srv/earlier", mounted_at_ - 60);
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  // (The overlay's layers lie under a former mount point no record gives: it may hold it, no more.)
  EXPECT_EQ(FirstLine(guard.out),
            fs_->device() +
                " is busy: it holds an ext4 filesystem that is mounted nowhere, yet still "
                "alive: nothing the scan sees holds it")
      << guard.Describe();
  // (Other scenarios' unplaced pins, running beside this one, may be candidates too.)
  EXPECT_THAT(SuspectsLine(guard.out), HasSubstr("overlay " + merged_ + " (lowerdir, upperdir, workdir)"))
      << guard.Describe();
  EXPECT_THAT(guard.out, Not(HasSubstr("/srv/earlier"))) << guard.Describe();
  const DetachedListing listing = ListDetached();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_TRUE(rows[0]["target"].is_null()) << rows[0].dump();
}

// Given a record of this device made after this filesystem was mounted, it is its former mount point.
TEST_F(JournalRecordOfAnEarlierFilesystem, ARecordFromAfterTheMountIsItsFormerMountPoint) {
  Journal("/srv/now", mounted_at_ + 1);
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), fs_->device() +
                                      " is busy: it holds an ext4 filesystem that was lazily unmounted from "
                                      "/srv/now, yet is still alive: nothing the scan sees holds it")
      << guard.Describe();
}

}  // namespace
}  // namespace itest

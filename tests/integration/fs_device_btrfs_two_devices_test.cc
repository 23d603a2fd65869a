// SPDX-License-Identifier: GPL-2.0-or-later
// btrfs on two devices (mkfs.btrfs -d raid1 -m raid1 D1 D2), mounted by D1, pinned by a process's cwd. Its
// superblock's device number is anonymous (and a file's in it another one, its subvolume's), so nothing
// matched by number finds it; its mounts name D1 only, and the kernel states D2 in sysfs
// (/sys/fs/btrfs/FSID/devices). umount names the pinner on "target is busy" and after a lazy umount;
// mkfs-guard, fuser and findmnt --detached tie D2 to the filesystem, attached and lazily detached.
#include "fs_device_util.h"

namespace itest {
namespace {

class BtrfsOnTwoDevices : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD", "FUSER", "FINDMNT", "UMOUNT");
    first_.emplace(160);
    second_.emplace(160);
    RunOrThrow({"mkfs.btrfs", "-q", "-f", "-d", "raid1", "-m", "raid1", first_->path(), second_->path()});
    mount_.emplace(first_->path(), first_->dir().MakeDir("b"), "btrfs");
    pinner_.emplace(SpawnSleepWithCwd(mount_->target()));
  }

  std::string Entry() const { return PinEntry(pinner_->pid(), "sleep", "cwd"); }
  const std::string& Target() const { return mount_->target(); }
  const std::string& D1() const { return first_->path(); }
  const std::string& D2() const { return second_->path(); }

  std::optional<BlankLoop> first_, second_;
  std::optional<Mount> mount_;
  std::optional<ChildProcess> pinner_;
};

// Given it mounted and pinned, we should hear the pinner after umount's "target is busy.", and for D2 that it
// is a device of the btrfs on D1 mounted at its place, from mkfs-guard (text and JSON) and fuser.
TEST_F(BtrfsOnTwoDevices, MountedIsNamedForItsSecondDeviceAndItsBusyUmount) {
  const RunResult umount = RunCommand({Umount(), Target()});
  EXPECT_EQ(umount.exit_code, 32) << umount.Describe();
  EXPECT_EQ(Lines(umount.err), (std::vector<std::string>{"umount: " + Target() + ": target is busy.",
                                                         kIndent + Target() + " is pinned by " + Entry()}));

  const RunResult guard = RunCommand({MkfsGuard(), D2()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), D2() + " is busy: it is a device of the btrfs filesystem on " + D1() +
                                      ", which is mounted at " + Target())
      << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr("\n  pinned by: " + Entry() + "\n")) << guard.Describe();
  ExpectNoUnknownOrGuess(guard);
  const nlohmann::json nested = ClaimReasonOf(D2(), "member", "btrfs", D1());
  ASSERT_EQ(nested.size(), 1u) << nested.dump(2);
  EXPECT_EQ(Text(nested[0], "kind"), "mounted");
  EXPECT_EQ(PinnersOf(nested[0]), Entry());

  const RunResult first = RunCommand({MkfsGuard(), D1()});
  EXPECT_EQ(FirstLine(first.out), D1() + " is busy: it is mounted at " + Target()) << first.Describe();

  const RunResult fuser = RunCommand({Fuser(), "-v", D2()});
  EXPECT_EQ(fuser.exit_code, 0) << fuser.Describe();
  EXPECT_THAT(fuser.err,
              HasSubstr(FuserNameColumn(D2()) + FuserClaimRow(Target(), "device", "btrfs", D1(), false)))
      << fuser.Describe();
  const RunResult fuser_m = RunCommand({Fuser(), "-m", D2()});
  EXPECT_THAT(PidsPrinted(fuser_m.out), ::testing::Contains(pinner_->pid())) << fuser_m.Describe();
}

// Given it lazily unmounted by our umount, we should hear the pinner from umount, see findmnt --detached list
// it with both devices (SOURCES) and find it by D2, and hear from mkfs-guard and fuser --detached -v on
// either device which filesystem holds it and who pins that.
TEST_F(BtrfsOnTwoDevices, LazilyUnmountedIsListedWithBothDevicesAndNamedForEach) {
  const RunResult umount = RunCommand({Umount(), "-l", Target()});
  EXPECT_EQ(umount.exit_code, 0) << umount.Describe();
  EXPECT_EQ(
      Lines(umount.err),
      (std::vector<std::string>{
          "umount: " + Target() + ": lazily unmounted, but its filesystem lives on, pinned by " + Entry(),
          kIndent + "findmnt --detached shows it; mkfs-guard --wait " + D1() + " waits for its end"}));

  const RunResult listing =
      RunCommand({Findmnt(), "--detached", "-J", "-l", "-o", "SOURCE,SOURCES,FSTYPE,TARGET,PINNERS"});
  EXPECT_EQ(listing.exit_code, 0) << listing.Describe();
  const std::optional<nlohmann::json> doc = ParseJson(listing.out);
  ASSERT_TRUE(doc.has_value());
  const std::vector<nlohmann::json> rows = RowsForSource(*doc, D1());
  ASSERT_EQ(rows.size(), 1u) << listing.Describe();
  EXPECT_EQ(rows[0]["sources"], nlohmann::json::array({D1(), D2()})) << listing.Describe();
  EXPECT_EQ(Text(rows[0], "target"), Target());
  EXPECT_EQ(PinnersOf(rows[0]), Entry());
  const RunResult by_second = RunCommand({Findmnt(), "--detached", "-n", "-l", "-o", "TARGET", "-S", D2()});
  EXPECT_EQ(by_second.out, Target() + "\n") << by_second.Describe();
  const RunResult hint = RunCommand({Findmnt(), "-S", D2()});
  EXPECT_EQ(hint.exit_code, 1) << hint.Describe();
  EXPECT_EQ(Lines(hint.err),
            (std::vector<std::string>{"findmnt: " + D2() +
                                      " is not mounted, but a lazily unmounted btrfs filesystem "
                                      "on it is still pinned by " +
                                      Entry() + " (see findmnt --detached)"}))
      << hint.Describe();

  const RunResult guard = RunCommand({MkfsGuard(), D2()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), D2() + " is busy: it is a device of the btrfs filesystem on " + D1() +
                                      ", which was lazily unmounted from " + Target() +
                                      " and is still pinned by: " + Entry())
      << guard.Describe();
  ExpectNoUnknownOrGuess(guard);
  const nlohmann::json nested = ClaimReasonOf(D2(), "member", "btrfs", D1());
  ASSERT_EQ(nested.size(), 1u) << nested.dump(2);
  EXPECT_EQ(Text(nested[0], "kind"), "detached-mount");
  EXPECT_EQ(Text(nested[0], "former-target"), Target());

  const RunResult first = RunCommand({MkfsGuard(), D1()});
  EXPECT_EQ(FirstLine(first.out),
            D1() + " is busy: it holds a btrfs filesystem that was lazily unmounted from " + Target() +
                " and is still pinned by: " + Entry())
      << first.Describe();

  const RunResult fuser = RunCommand({Fuser(), "--detached", "-v", D2()});
  EXPECT_EQ(fuser.exit_code, 0) << fuser.Describe();
  EXPECT_THAT(fuser.err, HasSubstr(FuserClaimRow(Target(), "device", "btrfs", D1(), true) + "\n"))
      << fuser.Describe();
  EXPECT_EQ(PidsPrinted(fuser.out), std::vector<pid_t>{pinner_->pid()}) << fuser.Describe();
}

}  // namespace
}  // namespace itest

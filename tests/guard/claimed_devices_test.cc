// SPDX-License-Identifier: GPL-2.0-or-later
// Devices a filesystem claims besides its source, on fixture files: the readers of each kernel source (mount
// options, ext4's jbd2 thread, btrfs's sysfs directory), the scan step that joins them to the mounts, and
// mkfs-guard's words for them. The claims sysfs fixture has xfs on loop0 with its log on dm-0 (LVM vg-xlog,
// on sdc1) and its realtime device on md0, ext4 on loop3 with its journal on loop4, ext4 on loop8 with an
// internal journal, btrfs on loop6 and loop7 (mounted) and on loop9 and loop10 (no mount the scan sees).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "explain/device.h"
#include "explain/device_text.h"
#include "fixture_tree.h"
#include "kernel/btrfs_sysfs.h"
#include "kernel/ext4_journal.h"
#include "kernel/mount_options.h"
#include "scan/scan.h"

namespace detach {
namespace {

using json = nlohmann::ordered_json;

const std::string kClaimsSysfs = std::string(FIXTURES_DIR) + "/sysfs/claims";
constexpr const char* kMountedFsid = "0834b99c-b6b5-46be-bfed-6488c2314ad3";
constexpr const char* kUnseenFsid = "5b4b63f9-d168-433e-91e4-b4c71b201619";

// Given an xfs option list as the kernel prints it, we should find each device option's value.
TEST(MountOptionValue, FindsTheValueOfTheKey) {
  const std::string options = "rw,inode64,logbufs=8,logbsize=32k,logdev=/dev/loop1,rtdev=/dev/md0,noquota";
  EXPECT_EQ(mount_option_value(options, "logdev"), "/dev/loop1");
  EXPECT_EQ(mount_option_value(options, "rtdev"), "/dev/md0");
  EXPECT_EQ(mount_option_value("logdev=/dev/sdc1", "logdev"), "/dev/sdc1");
  EXPECT_EQ(mount_option_value(options, "logbufs"), "8");
}

// Given options that only look like the key (another key ending or starting with it, no value, an empty one),
// we should find nothing.
TEST(MountOptionValue, OnlyTheWholeKeyWithAValueCounts) {
  EXPECT_EQ(mount_option_value("rw,xlogdev=/dev/a,logdevs=/dev/b", "logdev"), std::nullopt);
  EXPECT_EQ(mount_option_value("rw,logdev,noquota", "logdev"), std::nullopt);
  EXPECT_EQ(mount_option_value("rw,logdev=,noquota", "logdev"), std::nullopt);
  EXPECT_EQ(mount_option_value("", "logdev"), std::nullopt);
  EXPECT_EQ(mount_option_value(",,,", "logdev"), std::nullopt);
  EXPECT_EQ(mount_option_value("logdev=/dev/a", ""), std::nullopt);
  EXPECT_EQ(mount_option_value("rw,logdev=/dev/a,logdev=/dev/b", "logdev"), "/dev/a");  // the first
}

// Given a path the kernel escaped (seq_show_option: ',', ' ', '\t', '\n' and '\\' as \ooo), we should get
// the path back byte for byte, a comma in it included; a '"' or '=' in it is no quote nor separator.
TEST(MountOptionValue, EscapedAndHostilePathsComeBackWhole) {
  EXPECT_EQ(mount_option_value("rw,logdev=/srv/a\\054b\\040c\\011d\\012e\\134f,noquota", "logdev"),
            "/srv/a,b c\td\ne\\f");
  EXPECT_EQ(mount_option_value("rw,logdev=/srv/\"x=y\",noquota", "logdev"), "/srv/\"x=y\"");
  EXPECT_EQ(mount_option_value("logdev=/srv/\xff\xfe", "logdev"), "/srv/\xff\xfe");  // not UTF-8
  EXPECT_EQ(mount_option_value("logdev=/srv/\\05", "logdev"), "/srv/\\05");          // an escape cut short
}

// Given jbd2 thread names, we should tell a journal on a device of its own from one inside the filesystem.
TEST(ExternalJournalDevice, TellsAJournalDeviceFromAnInodeJournal) {
  EXPECT_EQ(external_journal_device("jbd2/loop4", "loop3"), "loop4");
  EXPECT_EQ(external_journal_device("jbd2/loop3-8", "loop3"), std::nullopt);
  EXPECT_EQ(external_journal_device("jbd2/dm-0-8", "dm-0"), std::nullopt);  // dm-0's own, inode 8
  EXPECT_EQ(external_journal_device("jbd2/dm-0", "sda1"), "dm-0");
  EXPECT_EQ(external_journal_device("jbd2/cciss!c0d0p2", "cciss!c0d0p1"), "cciss!c0d0p2");
  EXPECT_EQ(external_journal_device("jbd2/loop3-8x", "loop3"), "loop3-8x");
}

// Given names that are no jbd2 thread's, or a journal on the filesystem's own device, we should say nothing.
TEST(ExternalJournalDevice, OtherNamesGiveNothing) {
  EXPECT_EQ(external_journal_device("kworker/u4:2", "loop3"), std::nullopt);
  EXPECT_EQ(external_journal_device("jbd2/", "loop3"), std::nullopt);
  EXPECT_EQ(external_journal_device("jbd2/a/b", "loop3"), std::nullopt);
  EXPECT_EQ(external_journal_device("jbd2/loop3", "loop3"), std::nullopt);
  EXPECT_EQ(external_journal_device("xjbd2/loop4", "loop3"), std::nullopt);
}

// Given journal_task texts, we should take only a pid as the kernel prints it.
TEST(ParseJournalTask, OnlyAPid) {
  EXPECT_EQ(parse_journal_task("28072\n"), 28072);
  EXPECT_EQ(parse_journal_task("1"), 1);
  EXPECT_EQ(parse_journal_task("<none>\n"), std::nullopt);
  EXPECT_EQ(parse_journal_task("0\n"), std::nullopt);  // not in the reader's pid namespace
  EXPECT_EQ(parse_journal_task("-1\n"), std::nullopt);
  EXPECT_EQ(parse_journal_task("012\n"), std::nullopt);
  EXPECT_EQ(parse_journal_task("12 \n"), std::nullopt);
  EXPECT_EQ(parse_journal_task("4294967296\n"), std::nullopt);
  EXPECT_EQ(parse_journal_task(""), std::nullopt);
}

// Given sysfs fsid names, we should accept only btrfs's %pU form.
TEST(IsBtrfsFsid, OnlyTheUuidForm) {
  EXPECT_TRUE(is_btrfs_fsid(kMountedFsid));
  EXPECT_FALSE(is_btrfs_fsid("features"));
  EXPECT_FALSE(is_btrfs_fsid("0834B99C-b6b5-46be-bfed-6488c2314ad3"));  // upper case
  EXPECT_FALSE(is_btrfs_fsid("0834b99c-b6b5-46be-bfed-6488c2314ad"));   // short
  EXPECT_FALSE(is_btrfs_fsid("0834b99cxb6b5-46be-bfed-6488c2314ad3"));
  EXPECT_FALSE(is_btrfs_fsid(""));
}

// Given the claims sysfs fixture, we should read both filesystems with their devices, sorted, and leave out
// features/ and a directory whose name is no fsid.
TEST(ReadBtrfsFilesystems, ReadsEachFilesystemsDevices) {
  BtrfsFilesystems read = read_btrfs_filesystems(kClaimsSysfs);
  EXPECT_TRUE(read.unread.empty());
  ASSERT_EQ(read.filesystems.size(), 2u);
  EXPECT_EQ(read.filesystems[0].fsid, kMountedFsid);
  EXPECT_EQ(read.filesystems[0].devices, (std::vector<std::string>{"loop6", "loop7"}));
  EXPECT_EQ(read.filesystems[1].fsid, kUnseenFsid);
  EXPECT_EQ(read.filesystems[1].devices, (std::vector<std::string>{"loop10", "loop9"}));
}

// Given a kernel without btrfs (no /sys/fs/btrfs), we should find nothing and miss nothing.
TEST(ReadBtrfsFilesystems, NoBtrfsIsNoGap) {
  BtrfsFilesystems read = read_btrfs_filesystems(std::string(FIXTURES_DIR) + "/sysfs/holders");
  EXPECT_TRUE(read.filesystems.empty());
  EXPECT_TRUE(read.unread.empty());
}

// The jbd2 threads of the fixture's two ext4 filesystems, as /proc shows kernel threads.
void add_jbd2_threads(const testing::FixtureTree& tree) {
  tree.write("proc/77/comm", "jbd2/loop4\n");
  tree.write("proc/77/stat", "77 (jbd2/loop4) S 2 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 300 0 0\n");
  tree.write("proc/78/comm", "jbd2/loop8-8\n");
  tree.write("proc/78/stat", "78 (jbd2/loop8-8) S 2 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 301 0 0\n");
}

// Given the fixture's ext4 filesystems, we should find loop3's journal on loop4 and nothing for loop8's
// internal one.
TEST(ReadExt4ExternalJournals, NamesTheJournalDevice) {
  testing::FixtureTree tree;
  add_jbd2_threads(tree);
  Ext4Journals read = read_ext4_external_journals(kClaimsSysfs, tree.proc(), {"loop3", "loop8"});
  EXPECT_TRUE(read.unread.empty());
  ASSERT_EQ(read.external.size(), 1u);
  EXPECT_EQ(read.external[0].fs_name, "loop3");
  EXPECT_EQ(read.external[0].journal_name, "loop4");
}

// Given a journal thread gone between the two reads, we should find nothing and call it no loss.
TEST(ReadExt4ExternalJournals, AThreadThatWentIsNoGap) {
  testing::FixtureTree tree;
  Ext4Journals read = read_ext4_external_journals(kClaimsSysfs, tree.proc(), {"loop3", "loop8"});
  EXPECT_TRUE(read.external.empty());
  EXPECT_TRUE(read.unread.empty());
}

// A process (pid 100) with an fd open on each of the fixture's mounted filesystems.
void add_writer(const testing::FixtureTree& tree) {
  tree.link("proc/100/ns/mnt", "mnt:[4026531841]");
  tree.write("proc/100/mountinfo",
             "21 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
             "40 21 7:0 / /srv/x rw,relatime - xfs /dev/loop0 "
             "rw,inode64,logdev=/dev/mapper/vg-xlog,rtdev=/dev/md0,noquota\n"
             "41 21 7:3 / /srv/e rw - ext4 /dev/loop3 rw\n"
             "42 21 0:39 / /mnt/b rw - btrfs /dev/loop6 rw,space_cache=v2,subvolid=5,subvol=/\n");
  tree.write("proc/100/comm", "bash\n");
  tree.write("proc/100/status", "Name:\tbash\nUid:\t0\t0\t0\t0\n");
  tree.write("proc/100/cgroup", "0::/user.slice/user-0.slice/session-2.scope\n");
  tree.write("proc/100/stat", "100 (bash) S 1 100 100 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0\n");
  tree.link("proc/100/cwd", "/");
  tree.link("proc/100/root", "/");
  int fd = 3;
  for (auto [file, mnt_id] :
       {std::pair{"/srv/x/log", 40}, std::pair{"/srv/e/log", 41}, std::pair{"/mnt/b/log", 42}}) {
    tree.link("proc/100/fd/" + std::to_string(fd), file);
    tree.write("proc/100/fdinfo/" + std::to_string(fd),
               "pos:\t0\nflags:\t01\nmnt_id:\t" + std::to_string(mnt_id) + "\nino:\t12\n");
    ++fd;
  }
}

class ClaimsScan : public ::testing::Test {
 protected:
  void SetUp() override {
    add_writer(tree_);
    add_jbd2_threads(tree_);
  }

  Snapshot Scan(std::vector<DeviceNumber> asked = {}) {
    ScanOptions options;
    options.proc_root = tree_.proc();
    options.sys_root = kClaimsSysfs;
    options.dev_root = tree_.dev();
    options.live = false;
    options.journal_dir.clear();
    options.detail_pins_of = [](const Mount&) { return false; };
    options.detail_devices = std::move(asked);
    Result<Snapshot> snapshot = take_snapshot(options);
    EXPECT_TRUE(snapshot.has_value()) << snapshot.error().message();
    return snapshot ? std::move(*snapshot) : Snapshot{};
  }

  std::string Explain(const std::string& device, DeviceNumber dev) {
    Snapshot snapshot = Scan({dev});
    return render_text(snapshot, explain_device(snapshot, device, dev, Claim::Claimed));
  }

  testing::FixtureTree tree_;
};

// Given the fixture, we should find each claim the kernel states, with its role and filesystem, and none for
// the devices the mounts name or an internal journal.
TEST_F(ClaimsScan, FindsEveryClaimTheKernelStates) {
  Snapshot snapshot = Scan();
  std::vector<std::string> found;
  for (const ClaimedDevice& c : snapshot.claimed_devices)
    found.push_back(c.name + " " + claim_role_name(c.role) + " of " + c.fstype + " " + c.fs_dev.str() + " " +
                    c.fs_device + (c.fs_uuid.empty() ? "" : " " + c.fs_uuid));
  EXPECT_EQ(found, (std::vector<std::string>{
                       "loop7 member of btrfs 0:39 /dev/loop6 " + std::string(kMountedFsid),
                       "loop10 member of btrfs 0:0  " + std::string(kUnseenFsid),
                       "loop9 member of btrfs 0:0  " + std::string(kUnseenFsid),
                       "dm-0 log of xfs 7:0 /dev/loop0",
                       "md0 realtime of xfs 7:0 /dev/loop0",
                       "loop4 journal of ext4 7:3 /dev/loop3",
                   }));
  ASSERT_NE(snapshot.mount(42), nullptr);
  EXPECT_EQ(snapshot.mount(42)->source_dev,
            (DeviceNumber{7, 6}));  // the btrfs source, resolved by sysfs name
  EXPECT_TRUE(snapshot.mount(42)->on_device({7, 6}));
  EXPECT_FALSE(snapshot.mount(42)->on_device({7, 7}));
}

// Given the fixture, we should hear one answer to "does mount M sit on device D": by its source, and by every
// device its filesystem claims besides, and no other.
TEST_F(ClaimsScan, OnDeviceCoversTheSourceAndEveryClaimedDevice) {
  Snapshot snapshot = Scan();
  const Mount* xfs = snapshot.mount(40);
  const Mount* ext4 = snapshot.mount(41);
  const Mount* btrfs = snapshot.mount(42);
  ASSERT_NE(xfs, nullptr);
  ASSERT_NE(ext4, nullptr);
  ASSERT_NE(btrfs, nullptr);
  EXPECT_TRUE(snapshot.on_device(*xfs, {7, 0}));    // its source
  EXPECT_TRUE(snapshot.on_device(*xfs, {254, 0}));  // its log
  EXPECT_TRUE(snapshot.on_device(*xfs, {9, 0}));    // its realtime device
  EXPECT_EQ(snapshot.claim_by(*xfs, {7, 0}), nullptr);
  ASSERT_NE(snapshot.claim_by(*xfs, {254, 0}), nullptr);
  EXPECT_EQ(snapshot.claim_by(*xfs, {254, 0})->role, ClaimRole::Log);
  EXPECT_TRUE(snapshot.on_device(*ext4, {7, 4}));  // its journal
  EXPECT_TRUE(snapshot.on_device(*btrfs, {7, 6}));
  EXPECT_TRUE(snapshot.on_device(*btrfs, {7, 7}));
  EXPECT_FALSE(snapshot.on_device(*btrfs, {7, 9}));  // another btrfs's device
  EXPECT_FALSE(snapshot.on_device(*ext4, {254, 0}));
  EXPECT_FALSE(snapshot.on_device(*xfs, {7, 4}));
}

// Given the log device asked about (an LVM volume), we should name the xfs filesystem, where it is mounted,
// and its pinner with the command: its pins got details though its mount is on another device.
TEST_F(ClaimsScan, LogDeviceNamesItsFilesystemAndPinner) {
  EXPECT_EQ(Explain("/dev/dm-0", {254, 0}),
            "/dev/dm-0 is busy: it is the external log device of the xfs filesystem on /dev/loop0, which is "
            "mounted at /srv/x\n"
            "  pinned by: 100 (bash) fd 3 (write)\n");
}

// Given the disk under that LVM volume, we should see through its partition and the volume to the claim.
TEST_F(ClaimsScan, DiskUnderTheLogDeviceIsExplainedThroughIt) {
  EXPECT_EQ(Explain("/dev/sdc", {8, 32}),
            "/dev/sdc is busy: its partition /dev/sdc1 is busy: it is held by dm-0 (LVM vg-xlog), which is "
            "busy: it is the external log device of the xfs filesystem on /dev/loop0, which is mounted at "
            "/srv/x\n"
            "      pinned by: 100 (bash) fd 3 (write)\n");
}

// Given the realtime device (md) and the ext4 journal device, we should name each role.
TEST_F(ClaimsScan, RealtimeAndJournalDevicesAreNamed) {
  EXPECT_EQ(
      Explain("/dev/md0", {9, 0}),
      "/dev/md0 is busy: it is the realtime device of the xfs filesystem on /dev/loop0, which is mounted "
      "at /srv/x\n"
      "  pinned by: 100 (bash) fd 3 (write)\n");
  EXPECT_EQ(
      Explain("/dev/loop4", {7, 4}),
      "/dev/loop4 is busy: it is the external journal device of the ext4 filesystem on /dev/loop3, which "
      "is mounted at /srv/e\n"
      "  pinned by: 100 (bash) fd 4 (write)\n");
}

// Given btrfs's second device, we should name the filesystem by the device its mount names; its first
// device stays "mounted at".
TEST_F(ClaimsScan, SecondBtrfsDeviceNamesItsFilesystem) {
  EXPECT_EQ(Explain("/dev/loop7", {7, 7}),
            "/dev/loop7 is busy: it is a device of the btrfs filesystem on /dev/loop6, which is mounted at "
            "/mnt/b\n"
            "  pinned by: 100 (bash) fd 5 (write)\n");
  EXPECT_EQ(Explain("/dev/loop6", {7, 6}),
            "/dev/loop6 is busy: it is mounted at /mnt/b\n"
            "pinned by: 100 (bash) fd 5 (write)\n");
}

// Given a btrfs whose mounts the scan does not see (another namespace it may not list), we should still say
// what claims its devices, by the filesystem's fsid, and not call the claim unknown.
TEST_F(ClaimsScan, BtrfsWithoutAKnownMountIsNamedByItsFsid) {
  EXPECT_EQ(Explain("/dev/loop9", {7, 9}),
            "/dev/loop9 is busy: it is a device of the btrfs filesystem " + std::string(kUnseenFsid) + "\n");
}

// Given the log device, we should get a reason of its own kind in JSON, with the filesystem's reasons nested.
TEST_F(ClaimsScan, JsonHasTheRoleAndTheFilesystemsReasons) {
  Snapshot snapshot = Scan({{254, 0}});
  json doc = to_json(snapshot, explain_device(snapshot, "/dev/dm-0", {254, 0}, Claim::Claimed));
  ASSERT_EQ(doc["reasons"].size(), 1u);
  const json& r = doc["reasons"][0];
  EXPECT_EQ(r["kind"], "filesystem-device");
  EXPECT_EQ(r["role"], "log");
  EXPECT_EQ(r["fstype"], "xfs");
  EXPECT_EQ(r["filesystem"], "/dev/loop0");
  EXPECT_EQ(r["uuid"], nullptr);
  ASSERT_EQ(r["reasons"].size(), 1u);
  EXPECT_EQ(r["reasons"][0]["kind"], "mounted");
  EXPECT_EQ(r["reasons"][0]["target"], "/srv/x");
  ASSERT_EQ(r["reasons"][0]["pinners"].size(), 1u);
  EXPECT_EQ(r["reasons"][0]["pinners"][0]["pid"], 100);
}

// Given the same with -v, we should say where the kernel stated the claim.
TEST_F(ClaimsScan, ChecksSayWhereTheKernelStatedIt) {
  Snapshot snapshot = Scan({{7, 4}});
  std::vector<std::string> checks = checks_made(
      snapshot, explain_device(snapshot, "/dev/loop4", {7, 4}, Claim::Claimed), detach::Words::program());
  ASSERT_FALSE(checks.empty());
  EXPECT_EQ(
      checks.back(),
      "devices filesystems claim besides their source (xfs logdev= and rtdev=, ext4 journal threads, btrfs "
      "devices in sysfs): 6; /dev/loop4: " +
          kClaimsSysfs + "/fs/ext4/loop3/journal_task (its jbd2 thread is jbd2/loop4)");
}

}  // namespace
}  // namespace detach

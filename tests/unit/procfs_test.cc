// SPDX-License-Identifier: GPL-2.0-or-later
// The /proc readers on fixture bytes, hostile ones included.
#include "kernel/procfs.h"

#include <gtest/gtest.h>
#include <sys/statvfs.h>

#include "fixture_tree.h"
#include "kernel/fs_probe.h"
#include "kernel/nsfs.h"
#include "model/task.h"

namespace detach {
namespace {

TEST(ParseFdinfo, ReadsMountIdFlagsAndInode) {
  auto info = parse_fdinfo("pos:\t0\nflags:\t0100001\nmnt_id:\t62\nino:\t12\n");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->mnt_id, 62u);
  EXPECT_EQ(info->flags, 0100001);
  EXPECT_EQ(info->ino, 12u);
}

TEST(ParseFdinfo, TruncatedBeforeMountIdGivesNothing) {
  // Given fdinfo cut off before mnt_id (a task exiting mid-read), we should not invent a mount.
  EXPECT_FALSE(parse_fdinfo("pos:\t0\nflags:\t01").has_value());
  EXPECT_FALSE(parse_fdinfo("").has_value());
}

TEST(ParseFdinfo, EventfdExtraLinesAreIgnored) {
  auto info =
      parse_fdinfo("pos:\t0\nflags:\t02\nmnt_id:\t15\nino:\t1057\neventfd-count:    0\neventfd-id: 3\n");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->mnt_id, 15u);
}

TEST(ParseStatusUid, TakesTheRealUid) {
  EXPECT_EQ(parse_status_uid("Name:\tsleep\nUid:\t1000\t0\t0\t0\nGid:\t0\n"), 1000u);
  EXPECT_FALSE(parse_status_uid("Name:\tsleep\n").has_value());
  EXPECT_FALSE(parse_status_uid("Uid:\t\n").has_value());
}

// Found by tests/fuzz/proc_status: "Uid:\t5000000000" wrapped to uid 705032704 (another user's name), and
// "+12" or "12abc" passed as 12. The kernel prints %u: anything else is no uid.
TEST(ParseStatusUid, RejectsSignsJunkAndNumbersPast32Bits) {
  EXPECT_FALSE(parse_status_uid("Uid:\t5000000000\t0\t0\t0\n").has_value());
  EXPECT_FALSE(parse_status_uid("Uid:\t+12\t0\t0\t0\n").has_value());
  EXPECT_FALSE(parse_status_uid("Uid:\t12abc\t0\t0\t0\n").has_value());
  EXPECT_FALSE(parse_status_uid("Uid:\t-5\t0\n").has_value());
  EXPECT_FALSE(parse_status_uid("Uid:\t0000000000\t0\n").has_value());  // the fuzzer's: no leading zeros
  EXPECT_EQ(parse_status_uid("Uid:\t0\t0\t0\t0\n"), 0u);
  EXPECT_EQ(parse_status_uid("Uid:\t4294967294\t0\t0\t0\n"), 4294967294u);
  EXPECT_EQ(parse_status_uid("Uid:  65534 65534 65534 65534\n"), 65534u);
}

TEST(ParseCgroup, PrefersTheUnifiedHierarchy) {
  EXPECT_EQ(parse_cgroup("12:cpu:/old\n0::/system.slice/ssh.service\n"), "/system.slice/ssh.service");
  EXPECT_EQ(parse_cgroup("12:cpu:/only/v1\n"), "/only/v1");
  EXPECT_EQ(parse_cgroup("0::/a:b/c.scope\n"), "/a:b/c.scope");
  EXPECT_EQ(parse_cgroup("garbage"), "");
}

TEST(UnitFromCgroup, InnermostServiceOrScopeWins) {
  EXPECT_EQ(unit_from_cgroup("/system.slice/ssh.service"), "ssh.service");
  EXPECT_EQ(unit_from_cgroup("/user.slice/user-1000.slice/session-3.scope"), "session-3.scope");
  EXPECT_EQ(unit_from_cgroup("/system.slice/docker-ab12.scope/init.scope"), "init.scope");
  EXPECT_EQ(unit_from_cgroup("/user.slice/user-1000.slice"), "user-1000.slice");
  EXPECT_EQ(unit_from_cgroup("/"), "");
  EXPECT_EQ(unit_from_cgroup(""), "");
}

TEST(ParseMntNsLink, AcceptsOnlyMountNamespaceLinks) {
  EXPECT_EQ(parse_mnt_ns_link("mnt:[4026531841]"), 4026531841u);
  EXPECT_EQ(parse_mnt_ns_link("net:[4026531841]"), 0u);
  EXPECT_EQ(parse_mnt_ns_link("mnt:[12x]"), 0u);
  EXPECT_EQ(parse_mnt_ns_link("mnt:[]"), 0u);
  EXPECT_EQ(parse_mnt_ns_link("mnt:[4026531841"), 0u);
}

TEST(ReadMountinfo, UnescapesSpacesNewlinesAndKeepsRawBytes) {
  // Given mount points with an escaped space, an escaped newline and a non-UTF-8 byte, libmount should give
  // the real bytes back.
  testing::FixtureTree tree;
  tree.write("mountinfo",
             "21 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
             "62 21 7:0 / /tmp/a\\040b rw,relatime - ext2 /dev/loop0 rw\n"
             "63 21 7:1 / /tmp/line\\012break rw - xfs /dev/loop1 rw,attr2\n"
             "64 21 7:2 / /tmp/\xff\xfe rw - ext4 /dev/loop2 rw\n");
  auto mounts = read_mountinfo(tree.root() + "/mountinfo");
  ASSERT_TRUE(mounts.has_value()) << mounts.error().message();
  ASSERT_EQ(mounts->size(), 4u);
  EXPECT_EQ((*mounts)[1].target, "/tmp/a b");
  EXPECT_EQ((*mounts)[1].dev, (DeviceNumber{7, 0}));
  EXPECT_EQ((*mounts)[1].key, 62u);
  EXPECT_EQ((*mounts)[1].parent, 21u);
  EXPECT_EQ((*mounts)[2].target, "/tmp/line\nbreak");
  EXPECT_EQ((*mounts)[2].fstype, "xfs");
  EXPECT_EQ((*mounts)[3].target, "/tmp/\xff\xfe");
}

TEST(ReadMountinfo, TruncatedLineDoesNotHideTheOthers) {
  testing::FixtureTree tree;
  tree.write("mountinfo",
             "21 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
             "62 21 7:0 / /tmp/cut rw\n"
             "63 21 7:1 / /tmp/ok rw - xfs /dev/loop1 rw\n");
  auto mounts = read_mountinfo(tree.root() + "/mountinfo");
  ASSERT_TRUE(mounts.has_value());
  ASSERT_GE(mounts->size(), 2u);
  EXPECT_EQ(mounts->back().target, "/tmp/ok");
}

TEST(ReadMountinfo, HugeTableIsReadWhole) {
  testing::FixtureTree tree;
  std::string text = "1 0 254:0 / / rw - ext4 /dev/vda rw\n";
  for (int i = 0; i < 10000; ++i)
    text += std::to_string(100 + i) + " 1 0:" + std::to_string(100 + i) + " / /mnt/m" + std::to_string(i) +
            " rw - tmpfs tmpfs rw\n";
  tree.write("mountinfo", text);
  auto mounts = read_mountinfo(tree.root() + "/mountinfo");
  ASSERT_TRUE(mounts.has_value());
  EXPECT_EQ(mounts->size(), 10001u);
  EXPECT_EQ(mounts->back().target, "/mnt/m9999");
}

TEST(ReadMountinfo, MissingFileIsAnErrorValue) {
  auto mounts = read_mountinfo("/nonexistent/mountinfo");
  ASSERT_FALSE(mounts.has_value());
  EXPECT_NE(mounts.error().message().find("/nonexistent/mountinfo"), std::string::npos);
}

TEST(ReadLink, LongTargetsAreReadWhole) {
  testing::FixtureTree tree;
  std::string target = "/" + std::string(3000, 'a');
  tree.link("l", target);
  auto text = read_link(tree.root() + "/l");
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, target);
}

TEST(ListNumericEntries, SkipsNamesThatAreNotNumbers) {
  testing::FixtureTree tree;
  for (const char* name : {"1", "20", "3", "self", "3x", "-1"}) tree.write(std::string("d/") + name, "");
  auto entries = list_numeric_entries(tree.root() + "/d");
  ASSERT_TRUE(entries.has_value());
  EXPECT_EQ(*entries, (std::vector<int>{1, 3, 20}));
}

TEST(VfsOptionsFromStatfsFlags, SpellsMountinfosPerMountOptionsInItsOrder) {
  EXPECT_EQ(vfs_options_from_statfs_flags(0), "rw");
  EXPECT_EQ(vfs_options_from_statfs_flags(ST_RDONLY | ST_NOATIME), "ro,noatime");
  EXPECT_EQ(vfs_options_from_statfs_flags(ST_NOEXEC | ST_NOSUID | ST_NODEV | ST_RELATIME),
            "rw,nosuid,nodev,noexec,relatime");
  EXPECT_EQ(vfs_options_from_statfs_flags(0x2000 | ST_NODIRATIME), "rw,nodiratime,nosymfollow");
  // ST_VALID and ST_MANDLOCK are no per-mount options.
  EXPECT_EQ(vfs_options_from_statfs_flags(0x0020 | ST_MANDLOCK), "rw");
}

// Given command names with spaces and parentheses (prctl lets a process call itself anything), we should
// still find the parent's pid after the last ')'; a cut line gives nothing.
TEST(ParseStatPpid, FindsTheParentAfterTheLastParenthesis) {
  EXPECT_EQ(parse_stat_ppid("812 (bash) S 790 812 812 34816 ..."), 790);
  EXPECT_EQ(parse_stat_ppid("900 (a) b) (c) R 812 900 ..."), 812);
  EXPECT_EQ(parse_stat_ppid("1 (systemd) S 0 1 1"), 0);
  EXPECT_FALSE(parse_stat_ppid("900 (cut").has_value());
  EXPECT_FALSE(parse_stat_ppid("900 (x) S").has_value());
  EXPECT_FALSE(parse_stat_ppid("").has_value());
}

// Found by the proc_stat fuzzer: "2" followed by NULs was read as ppid 2. A field is a number only as the
// kernel prints it (%d for a pid, %u for the flags, %llu for the start time): no junk after it, no sign, no
// leading zero, nothing past its range.
TEST(ParseStatFields, RejectJunkSignsLeadingZerosAndOverflow) {
  using namespace std::string_literals;
  EXPECT_FALSE(parse_stat_ppid("9 (x) S 2\0\0 3"s).has_value());
  EXPECT_FALSE(parse_stat_ppid("9 (x) S +2 3").has_value());
  EXPECT_FALSE(parse_stat_ppid("9 (x) S 02 3").has_value());
  EXPECT_FALSE(parse_stat_ppid("9 (x) S -1 3").has_value());
  EXPECT_FALSE(parse_stat_ppid("9 (x) S 2147483648 3").has_value());
  EXPECT_EQ(parse_stat_ppid("9 (x) S 2147483647 3"), 2147483647);
  const std::string head = "9 (x) S 1 9 9 0 -1 ";
  const std::string middle = " 120 0 0 0 0 0 0 0 20 0 1 0 ";
  EXPECT_EQ(parse_stat_flags(head + "4194560" + middle + "1234 5678"), 4194560U);
  EXPECT_FALSE(parse_stat_flags(head + "4194560x" + middle + "1234 5678").has_value());
  EXPECT_FALSE(parse_stat_flags(head + "4294967296" + middle + "1234 5678").has_value());
  EXPECT_EQ(parse_stat_start_time(head + "0" + middle + "18446744073709551615 5678"),
            18446744073709551615ULL);
  EXPECT_FALSE(parse_stat_start_time(head + "0" + middle + "18446744073709551616 5678").has_value());
  EXPECT_FALSE(parse_stat_start_time(head + "0" + middle + "-1234 5678").has_value());
  EXPECT_FALSE(parse_stat_start_time(head + "0" + middle + "01234 5678").has_value());
  EXPECT_EQ(parse_stat_start_time(head + "0" + middle + "1234\n"), 1234U);
}

}  // namespace
}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Where each mkfs takes its devices: every case "Found while trying it" in issue 11, and getopt's ways of
// spelling options (clusters, attached values, permutation, long-option prefixes, --).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mkfs_command.h"

namespace detach::guard {
namespace {

// "ARG (ROLE)" for each device found, in order.
std::vector<std::string> Devices(const std::vector<std::string>& command) {
  MkfsDevices found = mkfs_devices(command);
  std::vector<std::string> out;
  for (const MkfsDevice& d : found.devices) out.push_back(d.arg + " (" + d.role + ")");
  return out;
}

using Names = std::vector<std::string>;

TEST(MkfsDevices, BtrfsTakesEveryPositional) {
  EXPECT_EQ(Devices({"mkfs.btrfs", "-f", "/dev/busy", "/dev/free"}),
            (Names{"/dev/busy (target)", "/dev/free (target)"}));
  EXPECT_EQ(Devices({"mkfs.btrfs", "-d", "raid1", "-m", "raid1", "/dev/a", "/dev/b", "/dev/c"}),
            (Names{"/dev/a (target)", "/dev/b (target)", "/dev/c (target)"}));
}

// Given a label that happens to be a device path, after the device (GNU getopt permutes), we should check
// the device only.
TEST(MkfsDevices, Ext4LabelThatIsADevicePathIsNoDevice) {
  EXPECT_EQ(Devices({"mkfs.ext4", "-F", "-F", "/dev/busy", "-L", "/dev/free"}),
            (Names{"/dev/busy (target)"}));
  EXPECT_EQ(Devices({"mkfs.ext4", "-qFL/dev/free", "/dev/busy"}), (Names{"/dev/busy (target)"}));
  EXPECT_EQ(Devices({"mke2fs", "-t", "ext4", "/dev/busy", "1000"}), (Names{"/dev/busy (target)"}));
}

TEST(MkfsDevices, Ext4ExternalJournalDevice) {
  EXPECT_EQ(Devices({"mkfs.ext4", "-J", "device=/dev/busy", "/dev/free"}),
            (Names{"/dev/free (target)", "/dev/busy (journal device)"}));
  EXPECT_EQ(Devices({"mkfs.ext3", "-Jsize=64,device=UUID=1234", "/dev/free"}),
            (Names{"/dev/free (target)", "UUID=1234 (journal device)"}));
}

// Given -d DIR (a directory to copy in, maybe on a hung filesystem), we should not take DIR for a device.
TEST(MkfsDevices, Ext4RootDirectoryIsNoDevice) {
  EXPECT_EQ(Devices({"mkfs.ext4", "-d", "/srv/fuse/tree", "/dev/free"}), (Names{"/dev/free (target)"}));
}

TEST(MkfsDevices, XfsLogAndRealtimeDevices) {
  EXPECT_EQ(Devices({"mkfs.xfs", "-f", "-l", "logdev=/dev/busy", "/dev/free"}),
            (Names{"/dev/free (target)", "/dev/busy (log device)"}));
  EXPECT_EQ(Devices({"mkfs.xfs", "-f", "-r", "rtdev=/dev/busy,extsize=4k", "/dev/free"}),
            (Names{"/dev/free (target)", "/dev/busy (realtime device)"}));
  EXPECT_EQ(Devices({"mkfs.xfs", "-d", "name=/dev/data", "-L", "/dev/label"}), (Names{"/dev/data (target)"}));
  // file=1: the name is a regular file, not a device.
  EXPECT_EQ(Devices({"mkfs.xfs", "-l", "file=1,name=/srv/log.img,size=10m", "/dev/free"}),
            (Names{"/dev/free (target)"}));
}

TEST(MkfsDevices, BtrfsLongOptionsAndPrefixes) {
  EXPECT_EQ(Devices({"mkfs.btrfs", "--label", "/dev/x", "/dev/y"}), (Names{"/dev/y (target)"}));
  EXPECT_EQ(Devices({"mkfs.btrfs", "--lab=/dev/x", "--rootdir", "/srv/tree", "/dev/y"}),
            (Names{"/dev/y (target)"}));
}

TEST(MkfsDevices, FatAndSwapTakeADeviceAndASize) {
  EXPECT_EQ(Devices({"mkfs.vfat", "-n", "/dev/x", "/dev/y", "1000"}), (Names{"/dev/y (target)"}));
  EXPECT_EQ(Devices({"mkfs.fat", "--codepage=437", "--mbr", "/dev/y"}), (Names{"/dev/y (target)"}));
  EXPECT_EQ(Devices({"mkswap", "-L", "/dev/x", "/dev/y", "2048"}), (Names{"/dev/y (target)"}));
  EXPECT_EQ(Devices({"mkswap", "--label", "/dev/x", "--lock=no", "/dev/y"}), (Names{"/dev/y (target)"}));
  EXPECT_EQ(mkfs_devices({"mkfs.fat", "-C", "/srv/fat.img", "1440"}).creates_file, "-C");
}

TEST(MkfsDevices, UtilLinuxMkfsFrontEnd) {
  MkfsDevices found = mkfs_devices({"/sbin/mkfs", "-t", "ext4", "-L", "/dev/x", "/dev/y"});
  EXPECT_EQ(found.program, "mkfs.ext4");
  ASSERT_EQ(found.devices.size(), 1u);
  EXPECT_EQ(found.devices[0].arg, "/dev/y");
  EXPECT_EQ(Devices({"mkfs", "/dev/y"}), (Names{"/dev/y (target)"}));  // ext2 by default
}

TEST(MkfsDevices, DoubleDashEndsOptions) {
  EXPECT_EQ(Devices({"mkfs.ext4", "-F", "--", "-odd-name"}), (Names{"-odd-name (target)"}));
}

// Given a mkfs we do not know, or an option the one we know would refuse, we should not guess: every argument
// and key=value value that may name a device is to be checked.
TEST(MkfsDevices, UnknownMkfsOrOptionChecksEverythingThatMayBeADevice) {
  MkfsDevices foo = mkfs_devices({"mkfs.foo", "-o", "journal=/dev/x,size=1", "LABEL=data", "/dev/y", "4096"});
  EXPECT_FALSE(foo.known);
  EXPECT_EQ(foo.maybe, (Names{"/dev/x", "LABEL=data", "/dev/y"}));
  EXPECT_NE(foo.unknown_why.find("mkfs.foo"), std::string::npos);
  MkfsDevices bogus = mkfs_devices({"mkfs.ext4", "--bogus=/dev/x", "/dev/y"});
  EXPECT_FALSE(bogus.known);
  EXPECT_EQ(bogus.maybe, (Names{"/dev/x", "/dev/y"}));
  EXPECT_FALSE(mkfs_devices({"mkfs.ext4", "-Z", "/dev/y"}).known);
  EXPECT_FALSE(mkfs_devices({"mkfs.ext4", "-L"}).known);              // a value missing
  EXPECT_FALSE(mkfs_devices({"mkfs.btrfs", "--f", "/dev/y"}).known);  // ambiguous: --force, --features
}

}  // namespace
}  // namespace detach::guard

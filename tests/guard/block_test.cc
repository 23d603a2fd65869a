// SPDX-License-Identifier: GPL-2.0-or-later
// The sysfs reader on a fixture tree (tests/fixtures/sysfs/stacked): a disk with partitions, an md array over
// a partition and a disk, a device-mapper device over a partition, a bound loop device with a hostile backing
// path.
#include "kernel/block.h"
#include "model/device_name.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "base/unique_fd.h"

namespace detach {
namespace {

const std::string kStacked = std::string(FIXTURES_DIR) + "/sysfs/stacked";

const BlockDevice& Find(const std::vector<BlockDevice>& devices, const std::string& name) {
  auto it =
      std::find_if(devices.begin(), devices.end(), [&](const BlockDevice& d) { return d.name == name; });
  if (it == devices.end()) throw std::runtime_error("no device " + name);
  return *it;
}

// Given the fixture tree, we should see every device once, sorted, partitions included.
TEST(ReadBlockDevices, ListsEveryDeviceOnceSortedByName) {
  std::vector<BlockDevice> devices = read_block_devices(kStacked);
  std::vector<std::string> names;
  names.reserve(devices.size());
  for (const BlockDevice& d : devices) names.push_back(d.name);
  EXPECT_EQ(names, (std::vector<std::string>{"dm-0", "loop0", "loop0p1", "loop1", "md0", "sda", "sda1",
                                             "sda2", "sdb"}));
  EXPECT_EQ(Find(devices, "sda").dev, (DeviceNumber{8, 0}));
  EXPECT_EQ(Find(devices, "loop0p1").dev, (DeviceNumber{259, 0}));
}

// Given a disk with two partitions, we should see them on the disk and the disk on each of them.
TEST(ReadBlockDevices, DiskListsItsPartitionsAndEachPartitionItsDisk) {
  std::vector<BlockDevice> devices = read_block_devices(kStacked);
  EXPECT_EQ(Find(devices, "sda").partitions, (std::vector<std::string>{"sda1", "sda2"}));
  EXPECT_EQ(Find(devices, "sda1").parent, "sda");
  EXPECT_EQ(Find(devices, "loop0").partitions, (std::vector<std::string>{"loop0p1"}));
  EXPECT_EQ(Find(devices, "loop0p1").parent, "loop0");
  EXPECT_EQ(Find(devices, "sda").parent, "");
}

// Given md0 over sda1 and sdb, we should see md0 as their holder and its raid level.
TEST(ReadBlockDevices, MdMembersNameTheArrayAsHolder) {
  std::vector<BlockDevice> devices = read_block_devices(kStacked);
  EXPECT_EQ(Find(devices, "sdb").holders, (std::vector<std::string>{"md0"}));
  EXPECT_EQ(Find(devices, "sda1").holders, (std::vector<std::string>{"md0"}));
  EXPECT_EQ(Find(devices, "md0").md_level, "raid1");
}

// Given dm-0 over sda2, we should see dm-0 as its holder and dm-0's device-mapper name.
TEST(ReadBlockDevices, DeviceMapperHolderHasItsName) {
  std::vector<BlockDevice> devices = read_block_devices(kStacked);
  EXPECT_EQ(Find(devices, "sda2").holders, (std::vector<std::string>{"dm-0"}));
  EXPECT_EQ(Find(devices, "dm-0").dm_name, "vg-root");
  EXPECT_TRUE(Find(devices, "sda").holders.empty());
}

// Given the pre-2.6.25 layout (block/ lists only disks), we should find partitions inside their disks.
TEST(ReadBlockDevices, OldLayoutFindsPartitionsInsideDisks) {
  std::vector<BlockDevice> devices = read_block_devices(std::string(FIXTURES_DIR) + "/sysfs/oldlayout");
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(Find(devices, "hda").partitions, (std::vector<std::string>{"hda1"}));
  EXPECT_EQ(Find(devices, "hda1").parent, "hda");
  EXPECT_EQ(Find(devices, "hda1").dev, (DeviceNumber{3, 1}));
}

// Given no sysfs at all, we should get no devices rather than an error.
TEST(ReadBlockDevices, MissingTreeGivesNoDevices) {
  EXPECT_TRUE(read_block_devices("/nonexistent-sysfs").empty());
}

// Given a loop device whose backing path holds a space, a newline and a non-UTF-8 byte, we should keep every
// byte and drop only the newline the kernel appends; an unbound loop device is not listed.
TEST(ReadLoopDevices, BackingFileKeepsHostileBytes) {
  std::vector<LoopDevice> loops = read_loop_devices(kStacked, "/nonexistent-dev", false);
  ASSERT_EQ(loops.size(), 1u);
  EXPECT_EQ(loops[0].name, "loop0");
  EXPECT_EQ(loops[0].dev, (DeviceNumber{7, 0}));
  EXPECT_EQ(loops[0].backing_file, "/srv/my disk\nimage\xff.img");
  EXPECT_TRUE(loops[0].autoclear);
  EXPECT_EQ(loops[0].backing_dev, DeviceNumber{});  // not live: no ioctl
}

// Given a live read told not to ask a loop device (its backing file's fs did not answer lately), we should
// take it as unresponsive without an ioctl; one that is asked and fails otherwise (no node) is not
// unresponsive.
TEST(ReadLoopDevices, OneNotToBeAskedIsUnresponsiveWithoutAnIoctl) {
  std::vector<LoopDevice> skipped =
      read_loop_devices(kStacked, "/nonexistent-dev", true, std::chrono::milliseconds(2000),
                        [](const LoopDevice&) { return false; });
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_TRUE(skipped[0].unresponsive);
  EXPECT_EQ(skipped[0].backing_dev, DeviceNumber{});
  std::vector<LoopDevice> failed =
      read_loop_devices(kStacked, "/nonexistent-dev", true, std::chrono::milliseconds(2000),
                        [](const LoopDevice& l) { return l.name == "loop0"; });
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_FALSE(failed[0].unresponsive) << "ENOENT from the node is no filesystem that does not answer";
}

// Given the holders fixture, we should read each device's size and device-mapper uuid, and the name devtmpfs
// gives it.
TEST(ReadBlockDevices, SizesAndDeviceMapperUuids) {
  const std::string holders = std::string(FIXTURES_DIR) + "/sysfs/holders";
  std::vector<BlockDevice> devices = read_block_devices(holders);
  EXPECT_EQ(Find(devices, "sdc").size_sectors, std::optional<std::uint64_t>(2097152));
  EXPECT_EQ(Find(devices, "zram0").size_sectors, std::optional<std::uint64_t>(0));
  EXPECT_EQ(Find(devices, "dm-1").dm_uuid.rfind("CRYPT-LUKS2-", 0), 0u);
  EXPECT_EQ(Find(devices, "dm-1").holders, (std::vector<std::string>{"dm-2"}));
  EXPECT_EQ(block_device_devname(holders, {8, 33}).value_or(""), "sdc1");
  EXPECT_FALSE(block_device_devname(holders, {8, 99}).has_value());
  // The stacked fixture has no size attributes: unknown, not 0.
  EXPECT_FALSE(Find(read_block_devices(kStacked), "sda").size_sectors.has_value());
}

TEST(ParseDeviceNumber, AcceptsOnlyMajorColonMinor) {
  EXPECT_EQ(parse_device_number("8:17"), (DeviceNumber{8, 17}));
  EXPECT_FALSE(parse_device_number("8:").has_value());
  EXPECT_FALSE(parse_device_number("8:1x").has_value());
  EXPECT_FALSE(parse_device_number("").has_value());
}

// Found by tests/fuzz/sysfs_attr: sscanf("%u:%u") read "-1:0" as 4294967295:0, took blanks and '+' signs,
// and overflowed without a word. A dev attribute is "%u:%u": anything that does not print back the same is
// no device number.
TEST(ParseDeviceNumber, RejectsBlanksSignsLeadingZerosAndOverflow) {
  EXPECT_FALSE(parse_device_number("-1:0").has_value());
  EXPECT_FALSE(parse_device_number(" 8: 1").has_value());
  EXPECT_FALSE(parse_device_number("+8:+1").has_value());
  EXPECT_FALSE(parse_device_number("08:01").has_value());
  EXPECT_FALSE(parse_device_number("99999999999:0").has_value());
  EXPECT_FALSE(parse_device_number("8:1:2").has_value());
  EXPECT_EQ(parse_device_number("0:0"), (DeviceNumber{0, 0}));
  EXPECT_EQ(parse_device_number("259:1048575"), (DeviceNumber{259, 1048575}));
}

TEST(DeviceNodeName, BangIsASlash) {
  EXPECT_EQ(device_node_name("cciss!c0d0"), "cciss/c0d0");
}

// Given paths that are not block devices, we should get errors as values, with the errno.
TEST(BlockDeviceNumber, RejectsWhatIsNotABlockDevice) {
  Result<DeviceNumber> missing = block_device_number("/dev/nonexistent-device");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().err, ENOENT);
  EXPECT_EQ(missing.error().path, "/dev/nonexistent-device");
  Result<DeviceNumber> chr = block_device_number("/dev/null");
  ASSERT_FALSE(chr.has_value());
  EXPECT_EQ(chr.error().err, ENOTBLK);
}

// A real loop device (root only): LOOP_GET_STATUS64 gives the backing file's st_dev and inode, and O_EXCL
// tells a claimed device from a free one.
class LiveLoop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root for losetup";
    char name[] = "/tmp/guard-block-test-XXXXXX";
    UniqueFd fd(::mkstemp(name));
    ASSERT_TRUE(fd.valid());
    file_ = name;
    ASSERT_EQ(::ftruncate(fd.get(), 1 << 20), 0);
    std::string cmd = "losetup -f --show " + file_;
    FILE* out = ::popen(cmd.c_str(), "r");
    ASSERT_NE(out, nullptr);
    char buf[64] = {};
    if (std::fgets(buf, sizeof buf, out) == nullptr) buf[0] = 0;
    ::pclose(out);
    device_ = buf;
    if (!device_.empty() && device_.back() == '\n') device_.pop_back();
    if (device_.empty()) GTEST_SKIP() << "no loop device available";
  }
  void TearDown() override {
    if (!device_.empty()) std::system(("losetup -d " + device_).c_str());
    if (!file_.empty()) ::unlink(file_.c_str());
  }
  std::string file_, device_;
};

TEST_F(LiveLoop, StatusGivesBackingDeviceAndInode) {
  struct stat st {};
  ASSERT_EQ(::stat(file_.c_str(), &st), 0);
  std::vector<LoopDevice> loops = read_loop_devices("/sys", "/dev", true);
  auto it = std::find_if(loops.begin(), loops.end(),
                         [&](const LoopDevice& l) { return "/dev/" + l.name == device_; });
  ASSERT_NE(it, loops.end());
  EXPECT_EQ(it->backing_file, file_);
  EXPECT_EQ(it->backing_dev, DeviceNumber::from_dev(st.st_dev));
  EXPECT_EQ(it->backing_inode, st.st_ino);
  EXPECT_FALSE(it->unresponsive);
}

TEST_F(LiveLoop, ClaimedOnlyWhileSomeoneHoldsItExclusively) {
  Result<bool> free_now = block_device_claimed(device_);
  ASSERT_TRUE(free_now.has_value()) << free_now.error().message();
  EXPECT_FALSE(*free_now);
  UniqueFd holder(::open(device_.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC));
  ASSERT_TRUE(holder.valid());
  Result<bool> busy = block_device_claimed(device_);
  ASSERT_TRUE(busy.has_value());
  EXPECT_TRUE(*busy);
  Result<DeviceNumber> number = block_device_number(device_);
  ASSERT_TRUE(number.has_value());
  EXPECT_EQ(number->major, 7u);
}

// Given a device whose holders/ cannot be listed (here: a file, not a directory), we should say so, not
// report a device that nothing holds; a missing holders/ is no error (git keeps no empty directories).
TEST(ReadBlockDevices, AHoldersDirectoryThatCannotBeListedIsSaid) {
  char dir[] = "/tmp/guard-block-test-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string root = dir;
  ASSERT_EQ(
      std::system(("mkdir -p '" + root + "/class/block/sdz' '" + root +
                   "/class/block/sdy' && echo 8:400 > '" + root + "/class/block/sdz/dev' && echo 8:416 > '" +
                   root + "/class/block/sdy/dev' && echo x > '" + root + "/class/block/sdz/holders'")
                      .c_str()),
      0);
  std::vector<std::string> unread;
  std::vector<BlockDevice> devices = read_block_devices(root, &unread);
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_TRUE(Find(devices, "sdz").holders.empty());
  ASSERT_EQ(unread.size(), 1u);
  EXPECT_EQ(unread[0], root + "/class/block/sdz/holders: Not a directory");
  std::system(("rm -rf '" + root + "'").c_str());
}

}  // namespace
}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// "Why is DEVICE busy?" on hand-built snapshots: each reason kind as data, as text and as JSON.
#include <string>

#include <gtest/gtest.h>

#include "explain/device.h"
#include "explain/device_text.h"
#include "explain_fixture.h"
#include "kernel/block.h"
#include "model/device_name.h"

namespace detach {
namespace {

// Given the seed scenario, we should name the detached ext2 fs and both pinners, in the contract's words.
TEST_F(Explain, LazyUmountPinnedByCwdAndFdIsExplained) {
  AddSeed();
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].kind, ReasonKind::DetachedPinned);
  EXPECT_EQ(report.reasons[0].mount, 100u);
  EXPECT_EQ(report.reasons[0].pins.size(), 2u);
  EXPECT_TRUE(report.busy());
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it holds an ext2 filesystem that was lazily unmounted and is still pinned by 2 "
      "processes: 1234 (sleep) cwd, 1240 (bash) fd 7 (write)\n");
}

TEST_F(Explain, LazyUmountAsJson) {
  AddSeed();
  json expected =
      json::parse(R"json({"device":"/dev/loop3","busy":true,"status":"busy","claimed":true,"reasons":[
    {"kind":"detached-mount","fstype":"ext2","id":null,"uniq-id":100,"former-target":null,"pinners":[
      {"kind":"process","pid":1234,"tid":null,"command":"sleep","user":"root","unit":"session-1.scope",
       "how":"cwd","certain":true,"pins":[{"kind":"cwd","path":null}]},
      {"kind":"process","pid":1240,"tid":null,"command":"bash","user":"root","unit":"session-1.scope",
       "how":"fd 7 (write)","certain":true,"pins":[{"kind":"fd","fds":[[7,7]],"access":"write","path":null}]}],
     "suspects":[]}]})json");
  EXPECT_EQ(to_json(snapshot_, Ask("/dev/loop3", kLoop3)), expected);
}

// Given a detached mount whose former mount point was journaled, we should say where it was.
TEST_F(Explain, DetachedMountSaysWhereItWas) {
  AddSeed();
  snapshot_.mounts[100].target = "/mnt/x";
  EXPECT_EQ(
      Text(Ask("/dev/loop3", kLoop3)),
      "/dev/loop3 is busy: it holds an ext2 filesystem that was lazily unmounted from /mnt/x and is still "
      "pinned by 2 processes: 1234 (sleep) cwd, 1240 (bash) fd 7 (write)\n");
}

// Given a detached btrfs (or xfs), we should get the article right.
TEST_F(Explain, ArticleFollowsTheFsType) {
  AddSeed();
  snapshot_.mounts[100].fstype = "btrfs";
  EXPECT_EQ(Text(Ask("/dev/loop3", kLoop3)).rfind("/dev/loop3 is busy: it holds a btrfs filesystem", 0), 0u);
  snapshot_.mounts[100].fstype = "xfs";
  EXPECT_EQ(Text(Ask("/dev/loop3", kLoop3)).rfind("/dev/loop3 is busy: it holds an xfs filesystem", 0), 0u);
}

// Given nothing on the device and no claim, we should call it free.
TEST_F(Explain, FreeDeviceSaysMkfsCanUseIt) {
  DeviceReport report = Ask("/dev/loop3", kLoop3, false);
  EXPECT_FALSE(report.busy());
  EXPECT_TRUE(report.reasons.empty());
  EXPECT_EQ(Text(report), "/dev/loop3 is free: mkfs can use it\n");
  EXPECT_EQ(
      to_json(snapshot_, report),
      json::parse(
          R"json({"device":"/dev/loop3","busy":false,"status":"free","claimed":false,"reasons":[]})json"));
}

// Given mounts in our namespace and another, we should list both and name only the other namespace.
TEST_F(Explain, AttachedMountsNameForeignNamespaces) {
  AddMount(10, kLoop3, "/mnt/x", "ext4", "/dev/loop3", true, kOwnNs);
  AddMount(11, kLoop3, "/srv/y", "ext4", "/dev/loop3", true, kOtherNs);
  AddPin(PinKind::Cwd, 10, 1234);
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  ASSERT_EQ(report.reasons.size(), 2u);
  EXPECT_FALSE(report.reasons[0].other_namespace);
  EXPECT_TRUE(report.reasons[1].other_namespace);
  EXPECT_EQ(Text(report),
            "/dev/loop3 is busy: it is mounted at /mnt/x, /srv/y in mount namespace mnt:[4026532290]\n"
            "pinned by: 1234 (sleep) cwd\n");
  json mounted = to_json(snapshot_, report)["reasons"][1];
  EXPECT_EQ(mounted["kind"], "mounted");
  EXPECT_EQ(mounted["target"], "/srv/y");
  EXPECT_EQ(mounted["namespace"], kOtherNs);
  EXPECT_EQ(mounted["other-namespace"], true);
}

// Given a copy in a namespace with a process in it, or one kept alive only by an nsfs mount, we should say
// who.
TEST_F(Explain, ForeignNamespaceNamesItsProcessesOrWhatKeepsIt) {
  AddMount(11, kLoop3, "/srv/y", "ext4", "/dev/loop3", true, kOtherNs);
  AddMount(12, kLoop3, "/srv/z", "ext4", "/dev/loop3", true, kOtherNs + 1);
  Namespace& with_task = snapshot_.namespaces.emplace_back();
  with_task.inode = kOtherNs;
  with_task.tasks = {1234, 99};
  Namespace& kept = snapshot_.namespaces.emplace_back();
  kept.inode = kOtherNs + 1;
  kept.kept_alive_by = {"nsfs mount /run/ns/keep"};
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it is mounted at /srv/y in mount namespace mnt:[4026532290] of session-1.scope "
      "(processes in it: 99, 1234 (sleep)), /srv/z in mount namespace mnt:[4026532291] (no process in it; "
      "kept alive by nsfs mount /run/ns/keep)\n");
  json reasons = to_json(snapshot_, report)["reasons"];
  EXPECT_EQ(reasons[0]["namespace-tasks"], json::parse("[99, 1234]"));  // in pid order
  EXPECT_EQ(reasons[1]["namespace-kept-alive-by"], json::parse(R"json(["nsfs mount /run/ns/keep"])json"));
}

// Given btrfs (an anonymous st_dev), we should match the mount by its source.
TEST_F(Explain, BtrfsMountIsFoundThroughItsSource) {
  AddMount(20, {0, 45}, "/mnt/b", "btrfs", "/dev/loop3", true);
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].kind, ReasonKind::Mounted);
  EXPECT_EQ(Text(report), "/dev/loop3 is busy: it is mounted at /mnt/b\n");
}

// Given a source spelled differently (a /dev/disk/by-* link), we should go by the device the scan found it
// names (Mount::source_dev).
TEST_F(Explain, ResolvedSourceLinksOtherSpellings) {
  AddMount(21, {0, 46}, "/mnt/c", "btrfs", "/dev/disk/by-label/data", true).source_dev = kLoop3;
  EXPECT_EQ(Text(Ask("/dev/loop3", kLoop3)), "/dev/loop3 is busy: it is mounted at /mnt/c\n");
}

// Given a detached mount with no source, we should still match it through its superblock's device.
TEST_F(Explain, DetachedMountIsFoundThroughItsSuperblockDevice) {
  AddMount(30, {0, 50}, "", "btrfs", "", false);
  AddPin(PinKind::Cwd, 30, 1234);
  snapshot_.build_superblocks();
  for (Superblock& sb : snapshot_.superblocks)
    if (sb.dev == DeviceNumber{0, 50}) sb.device = "/dev/loop3";
  DeviceReport report = explain_device(snapshot_, "/dev/loop3", kLoop3, Claim::Claimed, options_);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].kind, ReasonKind::DetachedPinned);
}

// Given the device is an active swap partition, we should say so.
TEST_F(Explain, SwapPartition) {
  snapshot_.swaps.push_back(SwapArea{"/dev/loop3", false, kLoop3, true});
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  EXPECT_EQ(Text(report), "/dev/loop3 is busy: it is an active swap area\n");
  EXPECT_EQ(to_json(snapshot_, report)["reasons"][0],
            json::parse(R"json({"kind":"swap-partition","path":"/dev/loop3"})json"));
}

// Given a swap file and a loop backing file on the mounted fs, we should name each on its own line, once,
// even when the scan also recorded them as kernel pins.
TEST_F(Explain, SwapFileAndLoopBackingFileOnTheFs) {
  AddMount(10, kLoop3, "/mnt/x", "ext4", "/dev/loop3", true);
  snapshot_.swaps.push_back(SwapArea{"/mnt/x/swap", true, kLoop3, true});
  snapshot_.loops.push_back(LoopDevice{"loop4", {7, 4}, "/mnt/x/disk.img", kLoop3, 12, false});
  Pin& loop_pin = AddPin(PinKind::LoopBacking, 0, 0);
  loop_pin.dev = kLoop3;
  loop_pin.holder = "/dev/loop4";
  loop_pin.path = "/mnt/x/disk.img";
  Pin& swap_pin = AddPin(PinKind::SwapFile, 0, 0);
  swap_pin.dev = kLoop3;
  swap_pin.holder = swap_pin.path = "/mnt/x/swap";
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  EXPECT_EQ(Text(report),
            "/dev/loop3 is busy: it is mounted at /mnt/x\n"
            "its filesystem holds the active swap file /mnt/x/swap\n"
            "its filesystem holds /mnt/x/disk.img, the backing file of /dev/loop4\n");
  json reasons = to_json(snapshot_, report)["reasons"];
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[1], json::parse(R"json({"kind":"swap-file","file":"/mnt/x/swap","certain":true})json"));
  EXPECT_EQ(
      reasons[2],
      json::parse(
          R"json({"kind":"loop-backing","loop":"/dev/loop4","file":"/mnt/x/disk.img","backing-device":false})json"));
}

// The stacked fixture: md0 over sda1 and sdb, dm-0 (vg-root) over sda2.
class ExplainStacked : public Explain {
 protected:
  ExplainStacked() {
    snapshot_.block_devices = read_block_devices(std::string(FIXTURES_DIR) + "/sysfs/stacked");
    snapshot_.mounts.clear();
  }
};

// Given dm-0 over sda2 mounted at /, we should name the holder and why it is busy.
TEST_F(ExplainStacked, DeviceMapperHolderAndWhyItIsBusy) {
  AddMount(1, {254, 0}, "/", "ext4", "/dev/mapper/vg-root", true);
  DeviceReport report = Ask("/dev/sda2", {8, 2});
  EXPECT_EQ(
      Text(report),
      "/dev/sda2 is busy: it is held by dm-0 (device-mapper vg-root), which is busy: it is mounted at /\n");
  json holder = to_json(snapshot_, report)["reasons"][0];
  EXPECT_EQ(holder["kind"], "holder");
  EXPECT_EQ(holder["holder"], "dm-0");
  EXPECT_EQ(holder["name"], "vg-root");
  EXPECT_EQ(holder["reasons"][0]["kind"], "mounted");
}

// Given an md member, we should name the array and its level.
TEST_F(ExplainStacked, MdMember) {
  DeviceReport report = Ask("/dev/sdb", {8, 16});
  EXPECT_EQ(Text(report), "/dev/sdb is busy: it is a member of md0 (raid1)\n");
}

// Given a whole disk whose partitions are busy, we should explain each partition, nested.
TEST_F(ExplainStacked, PartitionsOfADisk) {
  AddMount(1, {254, 0}, "/", "ext4", "/dev/mapper/vg-root", true);
  DeviceReport report = Ask("/dev/sda", {8, 0});
  ASSERT_EQ(report.reasons.size(), 2u);
  EXPECT_EQ(report.reasons[0].kind, ReasonKind::PartitionBusy);
  EXPECT_EQ(report.reasons[0].partition, "/dev/sda1");
  EXPECT_EQ(
      Text(report),
      "/dev/sda is busy: its partition /dev/sda1 is busy: it is a member of md0 (raid1)\n"
      "its partition /dev/sda2 is busy: it is held by dm-0 (device-mapper vg-root), which is busy: it is "
      "mounted at /\n");
  json partition = to_json(snapshot_, report)["reasons"][0];
  EXPECT_EQ(partition["kind"], "partition");
  EXPECT_EQ(partition["partition"], "/dev/sda1");
  EXPECT_EQ(partition["reasons"][0]["kind"], "holder");
}

// Given a process with the device node open for writing (a VM's raw disk), we should call the device busy and
// name it (and never ourselves): no claim stops mkfs, but mkfs would overwrite what it writes.
TEST_F(Explain, ProcessWritingToTheDeviceNodeMakesItBusy) {
  AddTask(777, "qemu");
  AddPin(PinKind::Fd, 1, 777, 5, Access::ReadWrite).rdev = kLoop3;
  AddPin(PinKind::Fd, 1, 4242, 3, Access::Write).rdev = kLoop3;
  options_.own_pid = 4242;
  DeviceReport report = Ask("/dev/loop3", kLoop3, false);
  EXPECT_TRUE(report.busy());
  EXPECT_EQ(report.status, DeviceStatus::Busy);
  EXPECT_EQ(Text(report), "/dev/loop3 is busy: it is open for writing in: 777 (qemu) fd 5 (read/write)\n");
  json reason = to_json(snapshot_, report)["reasons"][0];
  EXPECT_EQ(reason["kind"], "open-for-writing");
  EXPECT_EQ(reason["pinners"][0]["pid"], 777);
}

// Given the same with --force (writers do not block), we should call it free and still name the writer.
TEST_F(Explain, ForcedWriterIsANote) {
  AddTask(777, "qemu");
  AddPin(PinKind::Fd, 1, 777, 5, Access::ReadWrite).rdev = kLoop3;
  options_.writers_block = false;
  DeviceReport report = Ask("/dev/loop3", kLoop3, false);
  EXPECT_FALSE(report.busy());
  EXPECT_EQ(Text(report),
            "/dev/loop3 is free: mkfs can use it\nit is open for writing in: 777 (qemu) fd 5 (read/write)\n");
}

// Given a process with the device node open for reading only (a backup), we should call it free, with a note.
TEST_F(Explain, ReaderOfTheDeviceNodeIsANote) {
  AddTask(778, "dd");
  AddPin(PinKind::Fd, 1, 778, 0, Access::Read).rdev = kLoop3;
  DeviceReport report = Ask("/dev/loop3", kLoop3, false);
  EXPECT_FALSE(report.busy());
  EXPECT_EQ(report.status, DeviceStatus::Free);
  EXPECT_EQ(Text(report),
            "/dev/loop3 is free: mkfs can use it\nit is open for reading in: 778 (dd) fd 0 (read)\n");
  EXPECT_EQ(to_json(snapshot_, report)["reasons"][0]["kind"], "opened-by");
}

// Given a reader of a partition only, we should not call the whole disk busy.
TEST_F(Explain, ReaderOfAPartitionLeavesTheDiskFree) {
  snapshot_.block_devices.push_back(BlockDevice{"loop3", kLoop3, {}, {"loop3p1"}, "", "", "", "", 2048, {}});
  snapshot_.block_devices.push_back(BlockDevice{"loop3p1", {259, 9}, {}, {}, "loop3", "", "", "", 1024, {}});
  AddPin(PinKind::Fd, 1, 1234, 4, Access::Read).rdev = {259, 9};
  EXPECT_FALSE(Ask("/dev/loop3", kLoop3, false).busy());
}

// Given an unbound loop device (size 0, not in the bound list), we should say what it is, not "free".
TEST_F(Explain, UnboundLoopDeviceCannotBeFormatted) {
  snapshot_.block_devices.push_back(BlockDevice{"loop3", kLoop3, {}, {}, "", "", "", "", 0, {}});
  DeviceReport report = Ask("/dev/loop3", kLoop3, false);
  EXPECT_EQ(report.status, DeviceStatus::Unusable);
  EXPECT_FALSE(report.busy());
  EXPECT_EQ(Text(report),
            "/dev/loop3 cannot be formatted: it is a loop device with no backing file (losetup binds one)\n");
  json doc = to_json(snapshot_, report);
  EXPECT_EQ(doc["status"], "unusable");
  EXPECT_EQ(doc["reasons"][0]["kind"], "unbound-loop");
}

// Given a device of size 0 that is no loop device (an unset zram), or a loop device over an empty file, we
// should say its size is 0.
TEST_F(Explain, ZeroSizeDeviceCannotBeFormatted) {
  snapshot_.block_devices.push_back(BlockDevice{"zram0", {252, 0}, {}, {}, "", "", "", "", 0, {}});
  EXPECT_EQ(
      Text(Ask("/dev/zram0", {252, 0}, false)),
      "/dev/zram0 cannot be formatted: its size is 0 (an unset zram device, a drive without a medium)\n");
  snapshot_.block_devices.push_back(BlockDevice{"loop3", kLoop3, {}, {}, "", "", "", "", 0, {}});
  snapshot_.loops.push_back(LoopDevice{"loop3", kLoop3, "/srv/empty.img", {}, 0, false});
  EXPECT_EQ(
      Text(Ask("/dev/loop3", kLoop3, false)),
      "/dev/loop3 cannot be formatted: its size is 0: it is a loop device over /srv/empty.img, which is "
      "empty\n");
}

// Given a device that may not be opened (EACCES) but that the snapshot shows mounted, we should explain it
// from the snapshot and say the claim was not checked; with nothing seen, that it could not be checked.
TEST_F(Explain, UncheckedClaimIsExplainedFromTheSnapshot) {
  AddMount(10, kLoop3, "/mnt/x", "ext4", "/dev/loop3", true);
  snapshot_.build_superblocks();
  DeviceReport report = explain_device(snapshot_, "/dev/loop3", kLoop3, Claim::Unchecked, options_);
  report.claim_error = "Permission denied";
  EXPECT_EQ(report.status, DeviceStatus::Busy);
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it is mounted at /mnt/x\n(the claim was not checked: open: Permission denied)\n");
  DeviceReport nothing = explain_device(snapshot_, "/dev/loop4", {7, 4}, Claim::Unchecked, options_);
  nothing.claim_error = "Permission denied";
  EXPECT_EQ(nothing.status, DeviceStatus::Unchecked);
  EXPECT_EQ(Text(nothing),
            "/dev/loop4 could not be checked: it could not be opened (Permission denied), and "
            "nothing this scan sees uses it\n");
  json doc = to_json(snapshot_, nothing);
  EXPECT_EQ(doc["claimed"], nullptr);
  EXPECT_EQ(doc["claim-error"], "Permission denied");
}

// Given a copy in another namespace whose processes run in a container scope, we should name the scope.
TEST_F(Explain, ForeignNamespaceNamesTheUnitThatOwnsIt) {
  AddMount(11, kLoop3, "/srv/y", "ext4", "/dev/loop3", true, kOtherNs);
  AddTask(900, "containerd-shim");
  snapshot_.tasks[900].unit = "docker-4f2a.scope";
  Namespace& ns = snapshot_.namespaces.emplace_back();
  ns.inode = kOtherNs;
  ns.tasks = {901, 900};
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  EXPECT_EQ(Text(report),
            "/dev/loop3 is busy: it is mounted at /srv/y in mount namespace mnt:[4026532290] of "
            "docker-4f2a.scope (processes in it: 900 (containerd-shim), 901)\n");
  EXPECT_EQ(to_json(snapshot_, report)["reasons"][0]["namespace-unit"], "docker-4f2a.scope");
}

// Given a detached mount (or a disk whose partition holds one), we should say waiting can free it; given an
// attached mount too, that it cannot.
TEST_F(Explain, OnlyDetachedMountsCanBeWaitedFor) {
  AddSeed();
  EXPECT_TRUE(held_only_by_detached_mounts(Ask("/dev/loop3", kLoop3).reasons));
  Reason partition;
  partition.kind = ReasonKind::PartitionBusy;
  partition.nested = Ask("/dev/loop3", kLoop3).reasons;
  EXPECT_TRUE(held_only_by_detached_mounts({partition}));
  AddMount(10, kLoop3, "/mnt/x", "ext2", "/dev/loop3", true);
  EXPECT_FALSE(held_only_by_detached_mounts(Ask("/dev/loop3", kLoop3).reasons));
  EXPECT_FALSE(held_only_by_detached_mounts({}));
}

// Given the external log device of an xfs lazily unmounted and pinned, we should name the filesystem with its
// former mount point and pinner, call the device busy only through it (no "unknown"), and know that waiting
// for that filesystem's end frees the device.
TEST_F(Explain, LogDeviceOfADetachedXfsIsHeldOnlyByThatDetachedMount) {
  constexpr DeviceNumber kLog{7, 5};
  AddMount(60, kLoop3, "/srv/x", "xfs", "/dev/loop3", false);
  AddPin(PinKind::Cwd, 60, 1234);
  snapshot_.claimed_devices.push_back(ClaimedDevice{kLog, "loop5", ClaimRole::Log, kLoop3, "xfs",
                                                    "/dev/loop3", "", "logdev=/dev/loop5 in ..."});
  DeviceReport report = Ask("/dev/loop5", kLog);
  EXPECT_EQ(
      Text(report),
      "/dev/loop5 is busy: it is the external log device of the xfs filesystem on /dev/loop3, which was "
      "lazily unmounted from /srv/x and is still pinned by: 1234 (sleep) cwd\n");
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].kind, ReasonKind::FilesystemDevice);
  EXPECT_TRUE(held_only_by_detached_mounts(report.reasons));
  AddMount(61, kLoop3, "/srv/y", "xfs", "/dev/loop3", true);  // mounted again elsewhere: no waiting it out
  EXPECT_FALSE(held_only_by_detached_mounts(Ask("/dev/loop5", kLog).reasons));
}

// Given a check, we should list what it looked at (-v).
TEST_F(Explain, ChecksMadeNameTheClaimAndWhatWasScanned) {
  snapshot_.block_devices.push_back(
      BlockDevice{"loop3", kLoop3, {"dm-0"}, {"loop3p1"}, "", "", "", "", 2048, {}});
  Namespace& ns = snapshot_.namespaces.emplace_back();
  ns.tasks = {1, 2, 3};
  std::vector<std::string> checks =
      checks_made(snapshot_, Ask("/dev/loop3", kLoop3, false), detach::Words::program());
  ASSERT_EQ(checks.size(), 6u);
  EXPECT_EQ(checks[0], "exclusive open of /dev/loop3 (as mkfs does it): succeeded, nothing claims it");
  EXPECT_EQ(checks[1], "mount namespaces: 1 (0 mounts, 3 processes)");
  EXPECT_EQ(checks[4], "sysfs loop3: partitions loop3p1; holders dm-0; size 2048 sectors");
  EXPECT_EQ(
      checks[5],
      "devices filesystems claim besides their source (xfs logdev= and rtdev=, ext4 journal threads, btrfs "
      "devices in sysfs): 0; none of them is /dev/loop3");
}

// Given a claimed device that is only seen open, we should name the opener as what may hold the claim (an
// exclusive open; /proc does not say which open is one), never as certain, in one line.
TEST_F(Explain, ClaimedAndOpenNamesTheOpenerAsMayHoldingTheClaim) {
  AddTask(777, "qemu");
  AddPin(PinKind::Fd, 1, 777, 5, Access::ReadWrite).rdev = kLoop3;
  DeviceReport report = Ask("/dev/loop3", kLoop3, true);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].kind, ReasonKind::ExclusiveOpener);
  EXPECT_FALSE(report.reasons[0].certain);
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it is claimed, and of what the scan sees only an exclusive open (as mkfs makes "
      "one) can explain that: 777 (qemu) fd 5 (read/write) has it open and may hold the claim\n");
}

// Given a claim nothing explains, we should say so and list what the scan could not see.
TEST_F(Explain, ClaimedWithoutReasonSaysWhatWasNotSeen) {
  snapshot_.gaps.denied = 3;
  snapshot_.loops.push_back(LoopDevice{"loop9", {7, 9}, "/srv/slow nfs/disk", {}, 0, false});
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].kind, ReasonKind::Unknown);
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it is claimed, but no mount, swap area, loop device, holder or open file explains "
      "it\n"
      "could not see: 3 /proc entries could not be read (permission denied)\n"
      "could not see: the filesystem of /srv/slow nfs/disk, backing /dev/loop9, is unknown\n");
  EXPECT_EQ(to_json(snapshot_, report)["reasons"][0]["unseen"].size(), 2u);
}

// Given a claim nothing explains and a swap file the kernel shows relative (its fs lazily detached, so the
// scan could not place it), we should name the swap file as what may hold it: a suspect, never a guess.
TEST_F(Explain, RelativeSwapFileIsASuspectOfAnUnexplainedClaim) {
  snapshot_.swaps.push_back(SwapArea{"swapfile", true, {}, false});
  AddKernelPin(PinKind::SwapFile, {}, "swapfile", "swapfile").resolves_nowhere = true;
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].kind, ReasonKind::Unknown);
  EXPECT_EQ(report.reasons[0].suspects.size(), 1u);
  EXPECT_EQ(Text(report),
            "/dev/loop3 is busy: it is claimed, but no mount, swap area, loop device, holder or open file "
            "explains it\nit may be held by swap file swapfile\n");
  EXPECT_EQ(to_json(snapshot_, report)["reasons"][0]["suspects"][0]["kind"], "swap-file");
  EXPECT_FALSE(Ask("/dev/loop3", kLoop3, false).busy());  // no claim, no suspect
}

// Given a loop device backed by a file on a detached fs, we should list it among the pins that keep it alive.
TEST_F(Explain, DetachedMountKeptByALoopDeviceNamesIt) {
  AddMount(100, kLoop3, "", "ext2", "/dev/loop3", false);
  Pin& pin = AddPin(PinKind::LoopBacking, 0, 0);
  pin.dev = kLoop3;
  pin.holder = "/dev/loop4";
  pin.path = "/inner.img";
  EXPECT_EQ(Text(Ask("/dev/loop3", kLoop3)),
            "/dev/loop3 is busy: it holds an ext2 filesystem that was lazily unmounted and is still held by: "
            "loop /dev/loop4\n"
            "its filesystem holds /inner.img, the backing file of /dev/loop4\n");
}

// Given a loop device over the device itself (no claim on 6.18), we should still call the device busy.
TEST_F(Explain, LoopDeviceOverTheDeviceItself) {
  snapshot_.loops.push_back(LoopDevice{"loop5", {7, 5}, "/dev/loop3", {0, 5}, 33, false});
  DeviceReport report = Ask("/dev/loop3", kLoop3, false);
  EXPECT_TRUE(report.busy());
  EXPECT_EQ(Text(report), "/dev/loop3 is busy: it is the backing device of /dev/loop5\n");
  EXPECT_EQ(to_json(snapshot_, report)["reasons"][0]["backing-device"], true);
}

// Given a pinner whose command name holds a newline, we should keep the line whole.
TEST_F(Explain, ControlCharactersInCommandsAreEscaped) {
  AddSeed();
  AddTask(1300, "bad\nname");
  AddPin(PinKind::Cwd, 100, 1300);
  std::string text = Text(Ask("/dev/loop3", kLoop3));
  EXPECT_NE(text.find("1300 (bad\\x0aname) cwd\n"), std::string::npos) << text;
}

// Given a mount point with a newline, we should keep the reason on one line.
TEST_F(Explain, ControlCharactersInPathsAreEscaped) {
  AddMount(10, kLoop3, "/mnt/a\nb", "ext4", "/dev/loop3", true);
  EXPECT_EQ(Text(Ask("/dev/loop3", kLoop3)), "/dev/loop3 is busy: it is mounted at /mnt/a\\x0ab\n");
}

// Given a mount with more pins than a line can hold, we should name the first ones and count the rest.
// Given one process holding 40 fds and a sleep with its cwd inside, we should name both, each once, the fds
// as one range (40 pins, two pinners).
TEST_F(Explain, ManyPinsOfOneProcessAreOneRangeAndEveryPinnerIsNamed) {
  AddMount(10, kLoop3, "/mnt/x", "ext4", "/dev/loop3", true);
  for (int fd = 0; fd < 40; ++fd) AddPin(PinKind::Fd, 10, 1240, 39 - fd);
  AddPin(PinKind::Cwd, 10, 1234);
  std::string text = Text(Ask("/dev/loop3", kLoop3));
  EXPECT_NE(text.find("pinned by 2 processes: 1234 (sleep) cwd, 1240 (bash) fd 0-39\n"), std::string::npos)
      << text;
}

// Given 200 pinning processes, we should name the first five and say where to see the rest.
TEST_F(Explain, ManyPinnersAreCountedWithWhereToSeeThemAll) {
  AddMount(10, kLoop3, "/mnt/x", "ext4", "/dev/loop3", false);
  for (pid_t pid = 3000; pid < 3200; ++pid) AddPin(PinKind::Cwd, 10, pid);
  std::string text = Text(Ask("/dev/loop3", kLoop3));
  EXPECT_NE(
      text.find("pinned by 200 processes: 3000 cwd, 3001 cwd, 3002 cwd, 3003 cwd, 3004 cwd and 195 more "
                "(findmnt --detached lists them all)\n"),
      std::string::npos)
      << text;
}

// The holders fixture: LUKS (dm-1) over sdc1, LVM (dm-2) over it, multipath (dm-3) over sdd, md1 over sde.
class ExplainHolders : public Explain {
 protected:
  ExplainHolders() {
    snapshot_.block_devices = read_block_devices(std::string(FIXTURES_DIR) + "/sysfs/holders");
    snapshot_.mounts.clear();
  }
};

// Given LVM on LUKS on a partition, mounted, we should name each layer by what it is, nested.
TEST_F(ExplainHolders, LuksAndLvmLayersAreNamed) {
  AddMount(1, {254, 2}, "/home", "ext4", "/dev/mapper/vg-home", true);
  DeviceReport report = Ask("/dev/sdc", {8, 32});
  EXPECT_EQ(
      Text(report),
      "/dev/sdc is busy: its partition /dev/sdc1 is busy: it is held by dm-1 (LUKS crypt-home), which is "
      "busy: it is held by dm-2 (LVM vg-home), which is busy: it is mounted at /home\n");
  json luks = to_json(snapshot_, report)["reasons"][0]["reasons"][0];
  EXPECT_EQ(luks["type"], "luks");
  EXPECT_EQ(luks["name"], "crypt-home");
  EXPECT_EQ(luks["reasons"][0]["type"], "lvm");
}

// Given a multipath map and an md array, we should name them so.
TEST_F(ExplainHolders, MultipathAndMdHolders) {
  EXPECT_EQ(Text(Ask("/dev/sdd", {8, 48})), "/dev/sdd is busy: it is held by dm-3 (multipath mpatha)\n");
  EXPECT_EQ(Text(Ask("/dev/sde", {8, 64})), "/dev/sde is busy: it is a member of md1 (raid5)\n");
  EXPECT_EQ(to_json(snapshot_, Ask("/dev/sde", {8, 64}))["reasons"][0]["type"], "md");
}

TEST(ReasonKindName, EveryKindHasItsJsonName) {
  EXPECT_STREQ(reason_kind_name(ReasonKind::Mounted), "mounted");
  EXPECT_STREQ(reason_kind_name(ReasonKind::DetachedPinned), "detached-mount");
  EXPECT_STREQ(reason_kind_name(ReasonKind::SwapPartition), "swap-partition");
  EXPECT_STREQ(reason_kind_name(ReasonKind::SwapFileOnFs), "swap-file");
  EXPECT_STREQ(reason_kind_name(ReasonKind::LoopBackingFile), "loop-backing");
  EXPECT_STREQ(reason_kind_name(ReasonKind::Holder), "holder");
  EXPECT_STREQ(reason_kind_name(ReasonKind::FilesystemDevice), "filesystem-device");
  EXPECT_STREQ(reason_kind_name(ReasonKind::PartitionBusy), "partition");
  EXPECT_STREQ(reason_kind_name(ReasonKind::OpenForWriting), "open-for-writing");
  EXPECT_STREQ(reason_kind_name(ReasonKind::OpenedBy), "opened-by");
  EXPECT_STREQ(reason_kind_name(ReasonKind::UnboundLoop), "unbound-loop");
  EXPECT_STREQ(reason_kind_name(ReasonKind::ZeroSize), "zero-size");
  EXPECT_STREQ(reason_kind_name(ReasonKind::Unknown), "unknown");
}

}  // namespace
}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// The model's own logic: pin text, superblock grouping.
#include <gtest/gtest.h>

#include "explain/pinner.h"
#include "explain/printable.h"
#include "model/snapshot.h"

namespace detach {
namespace {

Pin task_pin(PinKind kind, pid_t pid, MountKey mount, int fd = -1, Access access = Access::Unknown) {
  Pin pin;
  pin.kind = kind;
  pin.pid = pid;
  pin.mount = mount;
  pin.fd = fd;
  pin.access = access;
  return pin;
}

TEST(PinHow, NamesEachKind) {
  EXPECT_EQ(task_pin(PinKind::Cwd, 1, 1).how(detach::Words::program()), "cwd");
  EXPECT_EQ(task_pin(PinKind::Fd, 1, 1, 7, Access::Write).how(detach::Words::program()), "fd 7 (write)");
  EXPECT_EQ(task_pin(PinKind::Fd, 1, 1, 3, Access::ReadWrite).how(detach::Words::program()),
            "fd 3 (read/write)");
  EXPECT_EQ(task_pin(PinKind::Fd, 1, 1, 3).how(detach::Words::program()), "fd 3");
  Pin loop;
  loop.kind = PinKind::LoopBacking;
  loop.holder = "/dev/loop1";
  EXPECT_EQ(loop.how(detach::Words::program()), "loop /dev/loop1");
}

Snapshot two_mounts_one_superblock() {
  Snapshot s;
  Mount attached;
  attached.key = 10;
  attached.dev = {7, 0};
  attached.source = "/dev/loop0";
  attached.fstype = "ext2";
  Mount detached = attached;
  detached.key = 11;
  detached.attached = false;
  s.mounts[10] = attached;
  s.mounts[11] = detached;
  s.pins.push_back(task_pin(PinKind::Cwd, 1234, 11));
  s.pins.push_back(task_pin(PinKind::Fd, 1240, 11, 7, Access::Write));
  s.tasks[1234] = Task{1234, "sleep", 0, "root", "", "", 0};
  s.tasks[1240] = Task{1240, "bash", 0, "root", "", "", 0};
  s.build_superblocks();
  return s;
}

TEST(BuildSuperblocks, GroupsMountsAndPinsByDevice) {
  Snapshot s = two_mounts_one_superblock();
  ASSERT_EQ(s.superblocks.size(), 1u);
  const Superblock* sb = s.superblock({7, 0});
  ASSERT_NE(sb, nullptr);
  EXPECT_EQ(sb->attached, (std::vector<MountKey>{10}));
  EXPECT_EQ(sb->detached, (std::vector<MountKey>{11}));
  EXPECT_EQ(sb->pins.size(), 2u);
  EXPECT_EQ(sb->device, "/dev/loop0");
  EXPECT_EQ(sb->fstype, "ext2");
}

// A loop device backed by a file on the filesystem: the kernel pins the superblock, not a known mount.
Pin device_only_loop_pin(DeviceNumber dev) {
  Pin loop;
  loop.kind = PinKind::LoopBacking;
  loop.holder = "/dev/loop1";
  loop.dev = dev;
  return loop;
}

TEST(DeviceOnlyPinsOf, GoToADetachedMountOnlyWhenNoAttachedMountSharesTheSuperblock) {
  // Given an attached and a detached mount of one superblock, the loop pin may hold either: it goes to
  // neither.
  Snapshot shared = two_mounts_one_superblock();
  shared.pins.push_back(device_only_loop_pin({7, 0}));
  shared.build_superblocks();
  EXPECT_EQ(shared.device_only_pins(DeviceNumber{7, 0}).size(), 1u);
  EXPECT_TRUE(shared.device_only_pins_of(shared.mounts.at(11)).empty());
  EXPECT_TRUE(shared.device_only_pins_of(shared.mounts.at(10)).empty());
  // Given only the detached mount, it can only hold that one.
  Snapshot alone = two_mounts_one_superblock();
  alone.mounts.erase(10);
  alone.pins.push_back(device_only_loop_pin({7, 0}));
  alone.build_superblocks();
  EXPECT_EQ(alone.device_only_pins_of(alone.mounts.at(11)), (std::vector<std::size_t>{2}));
}

TEST(DescribePins, ProcessesInPidOrderThenKernel) {
  Snapshot s = two_mounts_one_superblock();
  Pin loop;
  loop.kind = PinKind::LoopBacking;
  loop.holder = "/dev/loop1";
  loop.mount = 11;
  s.pins.insert(s.pins.begin(), loop);
  EXPECT_EQ(describe_pins(s, s.pins_of(11), detach::Words::program()),
            "1234 (sleep) cwd, 1240 (bash) fd 7 (write), loop /dev/loop1");
}

TEST(DescribePins, ThreadWithItsOwnCwdShowsBothIds) {
  Snapshot s = two_mounts_one_superblock();
  Pin pin = task_pin(PinKind::Cwd, 1234, 11);
  pin.tid = 1236;
  EXPECT_EQ(describe_pins(s, {&pin}, detach::Words::program()), "1234/1236 (sleep) cwd");
}

TEST(DescribePins, LimitCountsPinnersNotPins) {
  // Given one process with 40 mappings of one file, we should count it as one pinner past the limit.
  Snapshot s = two_mounts_one_superblock();
  for (int i = 0; i < 40; ++i) s.pins.push_back(task_pin(PinKind::Mmap, 1250, 11));
  EXPECT_EQ(describe_pins(s, s.pins_of(11), detach::Words::program(), 2),
            "1234 (sleep) cwd, 1240 (bash) fd 7 (write) and 1 more");
  EXPECT_EQ(group_pinners(s.pins_of(11)).size(), 3u);
}

TEST(DescribePins, SamePinOnceOnly) {
  Snapshot s = two_mounts_one_superblock();
  s.pins.push_back(task_pin(PinKind::Cwd, 1234, 11));
  EXPECT_EQ(describe_pins(s, s.pins_of(11), detach::Words::program()),
            "1234 (sleep) cwd, 1240 (bash) fd 7 (write)");
}

}  // namespace
}  // namespace detach

namespace detach {
namespace {

TEST(Printable, EscapesControlCharactersAndInvalidUtf8Only) {
  EXPECT_EQ(printable("a\nb"), "a\\x0ab");
  EXPECT_EQ(printable("bad \xff name"), "bad \\xff name");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");  // valid UTF-8 stays
  EXPECT_EQ(printable("\xc3\x28"), "\\xc3(");                                    // a broken sequence
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");                                // overlong
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");                       // a surrogate
  EXPECT_EQ(printable("\xe2\x82"), "\\xe2\\x82");                                // truncated at the end
}

// Found by tests/fuzz/printable: C1 controls are valid UTF-8 (U+009B, "\xc2\x9b", is CSI to a terminal),
// so a command named "x\xc2\x9b31m" could still steer the terminal through printable().
TEST(Printable, EscapesC1ControlsToo) {
  EXPECT_EQ(printable("x\xc2\x9b"
                      "31m"),
            "x\\xc2\\x9b31m");
  EXPECT_EQ(printable("\xc2\x85"), "\\xc2\\x85");
  EXPECT_EQ(printable("\xc2\xa0"), "\xc2\xa0");            // U+00A0 (no-break space) is no control
  EXPECT_EQ(escape_invalid_utf8("\xc2\x9b"), "\xc2\x9b");  // the JSON form keeps it: valid UTF-8
}

TEST(EscapeInvalidUtf8, KeepsControlCharactersForTheTableLayerToEscape) {
  EXPECT_EQ(escape_invalid_utf8("a\nb\xff"), "a\nb\\xff");
}

}  // namespace
}  // namespace detach

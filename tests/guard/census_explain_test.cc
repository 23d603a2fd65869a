// SPDX-License-Identifier: GPL-2.0-or-later
// "Why is DEVICE busy?" where the kernel holds it through what /proc/PID does not show: the pins of the
// census (io_uring files, sockets, overlays ...), named as people name them; and, where the kernel does not
// say which filesystem a pin is on, the suspects, said to be "may", never as certain.
#include <string>

#include <gtest/gtest.h>

#include "explain/mount.h"
#include "explain/mount_text.h"
#include "explain/pinner.h"
#include "explain_fixture.h"

namespace detach {
namespace {

constexpr DeviceNumber kLoop4{7, 4};

class CensusExplain : public Explain {
 protected:
  CensusExplain() { AddTask(1300, "ur"); }

  // A filesystem sysfs shows alive on DEV that no mount shows: the scan's kernel-held mount for it.
  void AddMountedNowhere(DeviceNumber dev, const std::string& name) {
    snapshot_.live_filesystems.push_back(LiveFilesystem{"ext4", name, dev});
    Mount& m = AddMount(kernel_held_key(dev), dev, "", "ext4", "/dev/" + name, false);
    m.unique_id = 0;
  }
  // A file registered with PID's ring (fd 3), at PATH, that the scan could not place.
  Pin& AddUnplacedRingFile(pid_t pid, const std::string& path) {
    Pin& pin = AddPin(PinKind::RingFile, 0, pid, 3);
    pin.path = path;
    pin.resolves_nowhere = true;
    return pin;
  }
  void AddBlockDevice(const std::string& name, DeviceNumber dev, std::optional<std::string> signature) {
    BlockDevice& bd = snapshot_.block_devices.emplace_back();
    bd.name = name;
    bd.dev = dev;
    bd.size_sectors = 2048;
    bd.fs_signature = std::move(signature);
  }
};

// Given a filesystem alive on /dev/loop3 that no mount shows and nothing placed holds, and an io_uring file
// whose path resolves nowhere, we should say the ring may hold it, and never that it does.
TEST_F(CensusExplain, AFilesystemMountedNowhereNamesTheUnplacedRingFileAsASuspect) {
  AddMountedNowhere(kLoop3, "loop3");
  AddUnplacedRingFile(1300, "/ringfile");
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].kind, ReasonKind::DetachedPinned);
  EXPECT_TRUE(report.reasons[0].pins.empty());
  EXPECT_EQ(report.reasons[0].suspects.size(), 1u);
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it holds an ext4 filesystem that is mounted nowhere, yet still alive: nothing "
      "the scan sees holds it\n"
      "it may be held by 1300 (ur) io_uring fd 3 (registered file /ringfile)\n");
  json j = to_json(snapshot_, report);
  EXPECT_EQ(j["reasons"][0]["pinners"], json::array());
  EXPECT_EQ(j["reasons"][0]["suspects"][0]["certain"], false);
  EXPECT_EQ(j["reasons"][0]["suspects"][0]["pins"][0],
            json::parse(R"({"kind":"io_uring-file","fd":3,"path":"/ringfile"})"));
}

// Given a swap file on detached fs A (its path relative: unplaced) and a ring file on detached fs B, we
// should name both as what MAY hold B: neither is proven, and "probably the swap file" is a guess.
TEST_F(CensusExplain, TwoUnplacedPinsAreBothSuspectsAndNeitherIsAGuess) {
  AddMountedNowhere(kLoop3, "loop3");
  AddMountedNowhere(kLoop4, "loop4");
  AddKernelPin(PinKind::SwapFile, {}, "swapfile", "swapfile").resolves_nowhere = true;
  AddUnplacedRingFile(1300, "/ringfile");
  DeviceReport report = Ask("/dev/loop4", kLoop4);
  std::string text = Text(report);
  EXPECT_EQ(text.find("probably"), std::string::npos) << text;
  EXPECT_NE(text.find("it may be held by one of these: 1300 (ur) io_uring fd 3 (registered file /ringfile), "
                      "swap file swapfile"),
            std::string::npos)
      << text;
}

// Given a claimed device with no filesystem on it, held open by two processes, we should say one of them may
// hold the claim (an exclusive open), in one line, not "nothing explains it" and then list them as readers.
TEST_F(CensusExplain, AClaimNothingElseExplainsNamesTheOpenersAsMayHoldingIt) {
  AddBlockDevice("loop3", kLoop3, std::string());
  AddPin(PinKind::Fd, 1, 1234, 4, Access::Read).rdev = kLoop3;
  AddPin(PinKind::Fd, 1, 1240, 3, Access::Read).rdev = kLoop3;
  AddUnplacedRingFile(1300, "/ringfile");  // no filesystem on the device: a file cannot hold it
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  ASSERT_EQ(report.reasons.size(), 1u);
  EXPECT_EQ(report.reasons[0].kind, ReasonKind::ExclusiveOpener);
  EXPECT_FALSE(report.reasons[0].certain);
  EXPECT_TRUE(report.reasons[0].suspects.empty());
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it is claimed, and of what the scan sees only an exclusive open (as mkfs makes "
      "one) can explain that: 2 processes have it open, one of which may hold the claim: 1234 (sleep) fd 4 "
      "(read), 1240 (bash) fd 3 (read)\n");
  EXPECT_EQ(to_json(snapshot_, report)["reasons"][0]["kind"], "exclusive-opener");
}

// Given a claimed device whose filesystem type sysfs would list alive and does not, an unplaced file cannot
// hold it: it is no suspect. Given a type sysfs does not list (vfat), it may.
TEST_F(CensusExplain, UnplacedPinsAreSuspectsOnlyWhereAFilesystemCouldLive) {
  AddUnplacedRingFile(1300, "/ringfile");
  AddBlockDevice("loop3", kLoop3, std::string("ext4"));
  AddBlockDevice("loop4", kLoop4, std::string("vfat"));
  DeviceReport ext4 = Ask("/dev/loop3", kLoop3);
  ASSERT_EQ(ext4.reasons.size(), 1u);
  EXPECT_EQ(ext4.reasons[0].kind, ReasonKind::Unknown);
  EXPECT_TRUE(ext4.reasons[0].suspects.empty());
  DeviceReport vfat = Ask("/dev/loop4", kLoop4);
  ASSERT_EQ(vfat.reasons.size(), 1u);
  EXPECT_EQ(vfat.reasons[0].suspects.size(), 1u);
}

// Given an overlay whose layers lie on the filesystem of a mount that was plainly unmounted, umount should
// say the filesystem lives on, held by the overlay (by its mount point and layers).
TEST_F(CensusExplain, APlainUmountLeftAFilesystemHeldByAnOverlay) {
  AddMountedNowhere(kLoop3, "loop3");
  for (const char* role : {"lowerdir", "upperdir", "workdir"}) {
    Pin& layer = AddKernelPin(PinKind::OverlayLayer, kLoop3, "/o", std::string("/m/") + role);
    layer.role = role;
  }
  snapshot_.build_superblocks();
  MountReport report = explain_survival(snapshot_, 0, kLoop3, kOwnNs);
  std::vector<std::string> lines = survival_text(snapshot_, report, Survival::AfterPlainUmount, {});
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], "unmounted, but its filesystem lives on");
  EXPECT_EQ(lines[1], "its filesystem is held by overlay /o (lowerdir, upperdir, workdir)");
}

// Given a busy mount that nothing seen pins, and a socket with files in flight, umount should name the socket
// as what may pin it; a ring file whose path resolves nowhere cannot be on an attached mount.
TEST_F(CensusExplain, ABusyMountNothingPinsNamesFilesInFlightAsSuspects) {
  AddMount(50, kLoop3, "/mnt/x", "ext4", "/dev/loop3", true);
  AddUnplacedRingFile(1300, "/ringfile");
  Pin& flight = AddPin(PinKind::FilesInFlight, 0, 1240, 5);
  flight.count = 2;
  snapshot_.build_superblocks();
  MountReport report = explain_busy_mount(snapshot_, snapshot_.mounts.at(50));
  std::vector<std::string> lines = busy_text(snapshot_, report, {});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "nothing the scan sees pins it; it may be held by 1240 (bash) socket fd 5 (2 files in flight)");
}

// Pinners of the census read as people name them, in words and as data.
TEST_F(CensusExplain, KernelAndObjectPinnersAreNamedAsPeopleNameThem) {
  Pin& socket = AddPin(PinKind::BoundSocket, 0, 1234, 6);
  socket.dev = kLoop3;
  socket.path = "/m/sock";
  Pin& interpreter = AddKernelPin(PinKind::BinfmtInterpreter, kLoop3, "qemu-arm", "/m/qemu-arm");
  interpreter.mount = 1;
  std::vector<Pinner> pinners = group_pinners(snapshot_.pins_at({0, 1}));
  ASSERT_EQ(pinners.size(), 2u);
  EXPECT_EQ(describe_pinner(snapshot_, pinners[0], detach::Words::program()),
            "1234 (sleep) socket fd 6 (bound to /m/sock)");
  EXPECT_EQ(describe_pinner(snapshot_, pinners[1], detach::Words::program()),
            "binfmt_misc entry qemu-arm (interpreter /m/qemu-arm)");
  EXPECT_STREQ(pinner_kind_name(pinners[1]), "binfmt_misc");
  EXPECT_TRUE(certain(pinners[0]));
}

}  // namespace
}  // namespace detach

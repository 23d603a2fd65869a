// SPDX-License-Identifier: GPL-2.0-or-later
// Overlay layers and file-backed mounts in the views, on hand-built snapshots: an overlay named as a person
// names it (its mount point, its namespace and that namespace's unit when it is not ours, that it is lazily
// unmounted and who pins it then), what umount says after a plain umount the overlay outlives, and an image
// file that makes "target is busy".
#include <string>

#include <gtest/gtest.h>

#include "explain/mount.h"
#include "explain/mount_text.h"
#include "explain/pinner.h"
#include "explain_fixture.h"

namespace detach {
namespace {

constexpr MountKey kOverlay = 300;
constexpr DeviceNumber kOverlayDev{0, 90};

class OverlayExplain : public Explain {
 protected:
  OverlayExplain() {
    snapshot_.own_ns_inode = kOwnNs;
    AddNamespace(kOwnNs, {1234, 1240});
  }

  // M's filesystem on /dev/loop3 after a plain umount of M from /mnt/m: only the kernel holds it (the scan's
  // kernel-held mount for the device, with the former mount point from the journal).
  Mount& AddUnmountedM() {
    snapshot_.live_filesystems.push_back(LiveFilesystem{"ext4", "loop3", kLoop3});
    Mount& m = AddMount(kernel_held_key(kLoop3), kLoop3, "/mnt/m", "ext4", "/dev/loop3", false);
    m.unique_id = 0;
    m.recorded_as_unmounted = true;
    return m;
  }
  // The overlay at TARGET (attached in namespace NS, or lazily detached) with its three layers on /dev/loop3,
  // found by M's former mount point and tied to the kernel-held mount.
  void AddOverlay(const std::string& target, bool attached, std::uint64_t ns = kOwnNs) {
    AddMount(kOverlay, kOverlayDev, target, "overlay", "overlay", attached, ns);
    for (const char* role : {"lowerdir", "upperdir", "workdir"}) {
      Pin& pin = AddKernelPin(PinKind::OverlayLayer, kLoop3, target, std::string("/mnt/m/") + role);
      pin.role = role;
      pin.via = kOverlay;
      pin.mount = kernel_held_key(kLoop3);
      pin.by_former_target = true;
    }
  }
  std::vector<std::string> Survival(Survival when) {
    snapshot_.build_superblocks();
    MountReport report = explain_survival(snapshot_, 0, kLoop3, kOwnNs);
    return survival_text(snapshot_, report, when);
  }
};

// Given an overlay at /o whose layers hold /dev/loop3 after a plain umount of /mnt/m, mkfs-guard says where
// the filesystem was unmounted from and that the overlay holds it, with its layers.
TEST_F(OverlayExplain, MkfsGuardNamesTheOverlayThatHoldsAnUnmountedFilesystem) {
  AddUnmountedM();
  AddOverlay("/o", true);
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it holds an ext4 filesystem that was unmounted from /mnt/m and is still held "
      "by: overlay /o (lowerdir, upperdir, workdir; found by the former mount point)\n");
}

// Given the same, umount (after its plain umount of /mnt/m) says the filesystem lives on, held by the
// overlay, and not that another mount of it is pinned.
TEST_F(OverlayExplain, UmountSaysTheOverlayHoldsItsFilesystemAfterAPlainUmount) {
  AddUnmountedM();
  AddOverlay("/o", true);
  EXPECT_EQ(
      Survival(Survival::AfterPlainUmount),
      (std::vector<std::string>{
          "unmounted, but its filesystem lives on",
          "its filesystem is held by overlay /o (lowerdir, upperdir, workdir; found by the former mount "
          "point)",
          "losetup -d, mkfs and the like would race with it; umount --wait waits for such an end"}));
}

// Given the overlay in another mount namespace, it is named with that namespace and the unit of its first
// process: where to look for it.
TEST_F(OverlayExplain, AnOverlayInAnotherNamespaceIsNamedWithItsNamespaceAndUnit) {
  AddUnmountedM();
  AddTask(4100, "containerd-shim", "docker-ab12.scope");
  AddNamespace(kOtherNs, {4100});
  AddOverlay("/var/lib/docker/overlay2/x/merged", true, kOtherNs);
  snapshot_.build_superblocks();
  std::vector<Pinner> pinners = group_pinners(snapshot_.pins_of(kernel_held_key(kLoop3)));
  ASSERT_EQ(pinners.size(), 1u);
  EXPECT_EQ(
      describe_pinner(snapshot_, pinners[0], detach::Words::program()),
      "overlay /var/lib/docker/overlay2/x/merged in mount namespace mnt:[4026532290] of docker-ab12.scope "
      "(lowerdir, upperdir, workdir; found by the former mount point)");
}

// Given the overlay lazily unmounted and pinned by a shell's cwd, the overlay's words say so and name the
// shell, so that mkfs-guard on the layers' device leads to it; JSON gives the shell as data.
TEST_F(OverlayExplain, ALazilyUnmountedOverlayNamesWhatPinsIt) {
  AddUnmountedM();
  AddOverlay("/o", false);
  AddPin(PinKind::Cwd, kOverlay, 1240);
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it holds an ext4 filesystem that was unmounted from /mnt/m and is still held "
      "by: overlay /o (lazily unmounted, pinned by 1240 (bash) cwd; lowerdir, upperdir, workdir; found by "
      "the former mount point)\n");
  std::vector<Pinner> pinners = group_pinners(snapshot_.pins_of(kernel_held_key(kLoop3)));
  ASSERT_EQ(pinners.size(), 1u);
  json j = pinner_json(snapshot_, pinners[0]);
  EXPECT_EQ(j["kind"], "overlay");
  EXPECT_EQ(j["held-through"]["attached"], false);
  EXPECT_EQ(j["held-through"]["target"], "/o");
  ASSERT_EQ(j["held-through"]["pinners"].size(), 1u);
  EXPECT_EQ(j["held-through"]["pinners"][0]["pid"], 1240);
  EXPECT_EQ(j["pins"][0], json::parse(R"({"kind":"overlay-layer","layer":"lowerdir","path":"/mnt/m/lowerdir",
                                          "matched-by-former-target":true})"));
}

// Given an overlay's layer on an attached mount, the overlay holds a private copy of the mount, not the
// mount: no reason for "target is busy".
TEST_F(OverlayExplain, AnOverlaysLayerIsNoReasonForTargetIsBusy) {
  Mount& m = AddMount(200, kLoop3, "/mnt/m", "ext4", "/dev/loop3", true);
  AddMount(kOverlay, kOverlayDev, "/o", "overlay", "overlay", true);
  Pin& layer = AddKernelPin(PinKind::OverlayLayer, kLoop3, "/o", "/mnt/m/lower");
  layer.role = "lowerdir";
  layer.via = kOverlay;
  snapshot_.build_superblocks();
  MountReport report = explain_busy_mount(snapshot_, m);
  EXPECT_EQ(busy_text(snapshot_, report), std::vector<std::string>{});
}

// Given an erofs mount at /e from the image /mnt/m/e.img, the image (held open by the kernel) pins /mnt/m: a
// reason for "target is busy", named as the file-backed mount it is.
TEST_F(OverlayExplain, AnImageFileOfAFileBackedMountMakesTargetBusy) {
  Mount& m = AddMount(200, kLoop3, "/mnt/m", "ext4", "/dev/loop3", true);
  AddMount(301, {0, 91}, "/e", "erofs", "/mnt/m/e.img", true);
  Pin& image = AddKernelPin(PinKind::BackingFile, kLoop3, "/e", "/mnt/m/e.img");
  image.mount = 200;
  image.via = 301;
  snapshot_.build_superblocks();
  MountReport report = explain_busy_mount(snapshot_, m);
  EXPECT_EQ(busy_text(snapshot_, report),
            std::vector<std::string>{"/mnt/m is pinned by file-backed mount /e (backing file /mnt/m/e.img)"});
}

}  // namespace
}  // namespace detach

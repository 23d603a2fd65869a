// SPDX-License-Identifier: GPL-2.0-or-later
// detach-metrics' text: what a Snapshot with detached mounts becomes in Prometheus' text format, byte for
// byte, and how pinners are counted.
#include <gtest/gtest.h>

#include "metrics.h"

namespace detach::metrics {
namespace {

Pin task_pin(PinKind kind, pid_t pid, MountKey mount, pid_t tid = 0, int fd = -1) {
  Pin pin;
  pin.kind = kind;
  pin.pid = pid;
  pin.tid = tid;
  pin.mount = mount;
  pin.fd = fd;
  return pin;
}

Pin kernel_pin(PinKind kind, MountKey mount, std::string holder) {
  Pin pin;
  pin.kind = kind;
  pin.mount = mount;
  pin.holder = std::move(holder);
  return pin;
}

// /dev/loop2 (ext2): one mount still attached at /srv, one lazily detached from /mnt/data an hour ago.
Snapshot detached_loop2() {
  Snapshot s;
  s.id_kind = IdKind::Unique;
  Mount attached;
  attached.key = attached.unique_id = 2147500000;
  attached.dev = {7, 2};
  attached.source = "/dev/loop2";
  attached.fstype = "ext2";
  attached.target = "/srv";
  Mount detached = attached;
  detached.key = detached.unique_id = 2147501204;
  detached.attached = false;
  detached.target = "/mnt/data";
  detached.detached_at = 1000;
  s.mounts[attached.key] = attached;
  s.mounts[detached.key] = detached;
  s.pins.push_back(task_pin(PinKind::Cwd, 32043, detached.key));
  for (int fd = 3; fd < 43; ++fd) s.pins.push_back(task_pin(PinKind::Fd, 32047, detached.key, 0, fd));
  s.pins.push_back(task_pin(PinKind::Cwd, 32043, attached.key));
  s.gaps.vanished = 2;
  s.build_superblocks();
  return s;
}

// Given a filesystem alive that no mount shows and nothing placed holds, and a socket with files in flight
// that the scan could not place: its pinners by kind are that socket's process, certain="false".
TEST(Render, AFilesystemNothingPlacedHoldsCountsItsSuspectsAsNotCertain) {
  Snapshot s;
  s.id_kind = IdKind::Unique;
  Mount orphan;
  orphan.dev = {7, 5};
  orphan.key = kernel_held_key(orphan.dev);
  orphan.attached = false;
  orphan.source = "/dev/loop5";
  orphan.fstype = "ext4";
  s.mounts[orphan.key] = orphan;
  Pin flight = task_pin(PinKind::FilesInFlight, 4100, 0, 0, 5);
  flight.count = 2;
  s.pins.push_back(flight);
  s.build_superblocks();
  const std::string out = render(s, 4600);
  EXPECT_NE(out.find("detach_utils_detached_mount_pinners_by_kind{mount_id=\"\",device=\"/dev/loop5\","
                     "fstype=\"ext4\",target=\"\",kind=\"process\",certain=\"false\"} 1\n"),
            std::string::npos)
      << out;
  EXPECT_NE(
      out.find("detach_utils_detached_mount_pinners{mount_id=\"\",device=\"/dev/loop5\",fstype=\"ext4\","
               "target=\"\"} 0\n"),
      std::string::npos)
      << out;
}

TEST(CountPinners, AProcessIsOnePinnerHoweverManyFilesItHolds) {
  Snapshot s = detached_loop2();
  // 32043's cwd and 32047's 40 fds; 32043's cwd in the attached mount is not the detached one's.
  EXPECT_EQ(count_pinners(s, s.mounts.at(2147501204)), 2u);
  EXPECT_EQ(count_pinners(s, s.mounts.at(2147500000)), 1u);
}

TEST(CountPinners, AThreadWithItsOwnFilesAndEachKernelHolderCountApart) {
  Snapshot s = detached_loop2();
  const MountKey key = 2147501204;
  s.pins.push_back(task_pin(PinKind::Cwd, 32047, key, 32050));  // a thread with its own fs table
  s.pins.push_back(kernel_pin(PinKind::OtherMount, key, "/srv/copy"));
  s.pins.push_back(kernel_pin(PinKind::OtherMount, key, "/srv/copy"));
  s.pins.push_back(kernel_pin(PinKind::OtherMount, key, "/srv/other"));
  s.build_superblocks();
  EXPECT_EQ(count_pinners(s, s.mounts.at(key)), 5u);
}

TEST(Render, ADetachedPinnedMountGivesEveryFamily) {
  const std::string expected =
      "# HELP detach_utils_detached_mounts Lazily unmounted mounts that are still alive (pinned), by device "
      "and "
      "filesystem type.\n"
      "# TYPE detach_utils_detached_mounts gauge\n"
      "detach_utils_detached_mounts{device=\"/dev/loop2\",fstype=\"ext2\"} 1\n"
      "# HELP detach_utils_detached_mount_pinners Pinners keeping a detached mount alive: processes (or "
      "threads "
      "with their own files) and kernel objects (loop devices, swap files, other mounts). target is the "
      "former "
      "mount point, when recorded.\n"
      "# TYPE detach_utils_detached_mount_pinners gauge\n"
      "detach_utils_detached_mount_pinners{mount_id=\"2147501204\",device=\"/dev/loop2\",fstype=\"ext2\","
      "target=\"/mnt/data\"} 2\n"
      "# HELP detach_utils_detached_mount_pinners_by_kind Pinners keeping a detached mount alive, by kind "
      "(process, thread, loop, swap-file, mount, overlay, file-backed-mount, binfmt_misc, uprobe, ...). "
      "certain=\"false\": nothing seen holds the mount, and these are what the scan could not place on any "
      "filesystem: they may hold it.\n"
      "# TYPE detach_utils_detached_mount_pinners_by_kind gauge\n"
      "detach_utils_detached_mount_pinners_by_kind{mount_id=\"2147501204\",device=\"/dev/loop2\","
      "fstype=\"ext2\",target=\"/mnt/data\",kind=\"process\",certain=\"true\"} 2\n"
      "# HELP detach_utils_detached_mount_age_seconds Seconds since the mount was lazily unmounted, from the "
      "detach journal; no sample for a detach that nobody recorded.\n"
      "# TYPE detach_utils_detached_mount_age_seconds gauge\n"
      "detach_utils_detached_mount_age_seconds{mount_id=\"2147501204\",device=\"/dev/loop2\",fstype=\"ext2\","
      "target=\"/mnt/data\"} 3600\n"
      "# HELP detach_utils_scan_gaps What the last scan could not see: /proc entries it was denied (denied), "
      "tasks "
      "that exited during it (vanished), mount namespaces it could not list (namespaces_unlisted). Pinners "
      "may be "
      "missing when denied or namespaces_unlisted is not 0.\n"
      "# TYPE detach_utils_scan_gaps gauge\n"
      "detach_utils_scan_gaps{kind=\"denied\"} 0\n"
      "detach_utils_scan_gaps{kind=\"vanished\"} 2\n"
      "detach_utils_scan_gaps{kind=\"namespaces_unlisted\"} 0\n"
      "# HELP detach_utils_scan_success 1 when the last scan of the system succeeded, 0 when it failed.\n"
      "# TYPE detach_utils_scan_success gauge\n"
      "detach_utils_scan_success 1\n"
      "# HELP detach_utils_scan_timestamp_seconds When the last scan ran, in seconds since the epoch.\n"
      "# TYPE detach_utils_scan_timestamp_seconds gauge\n"
      "detach_utils_scan_timestamp_seconds 4600\n";
  EXPECT_EQ(render(detached_loop2(), 4600), expected);
}

TEST(Render, ADetachNobodyRecordedHasNoAgeAndNoTarget) {
  Snapshot s = detached_loop2();
  Mount& m = s.mounts.at(2147501204);
  m.detached_at.reset();
  m.target.clear();
  std::string out = render(s, 4600);
  EXPECT_NE(out.find("detach_utils_detached_mount_pinners{mount_id=\"2147501204\",device=\"/dev/loop2\","
                     "fstype=\"ext2\",target=\"\"} 2\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("detach_utils_detached_mount_age_seconds{"), std::string::npos) << out;
}

TEST(Render, NothingDetachedKeepsTheFamiliesWithoutSamples) {
  std::string out = render(Snapshot{}, 7);
  EXPECT_NE(out.find("# TYPE detach_utils_detached_mounts gauge\n# HELP detach_utils_detached_mount_pinners"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("detach_utils_scan_success 1\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("detach_utils_detached_mounts{"), std::string::npos) << out;
}

TEST(RenderFailedScan, SaysSoAndHasNoGapSamples) {
  std::string out = render_failed_scan(7);
  EXPECT_NE(out.find("detach_utils_scan_success 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("detach_utils_scan_timestamp_seconds 7\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("detach_utils_scan_gaps{"), std::string::npos) << out;
}

TEST(LabelValue, EscapesWhatTheTextFormatNeedsAndBytesThatAreNotUtf8) {
  EXPECT_EQ(label_value("/mnt/a \"b\"\\c\nd"), "/mnt/a \\\"b\\\"\\\\c\\nd");
  EXPECT_EQ(label_value("/mnt/r\xc3\xa9sum\xc3\xa9"), "/mnt/r\xc3\xa9sum\xc3\xa9");
  EXPECT_EQ(label_value("/mnt/\xff"), "/mnt/\\\\xff");
}

}  // namespace
}  // namespace detach::metrics

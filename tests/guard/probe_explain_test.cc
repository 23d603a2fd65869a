// SPDX-License-Identifier: GPL-2.0-or-later
// Probes and handlers that hold a filesystem, as every view names them: a binfmt_misc entry with flag F (its
// interpreter), a uprobe event, a BPF uprobe link held by a process or by no process. umount says what to do
// about each; what the scan could not place is only "may", with nothing to do said.
#include <string>

#include <gtest/gtest.h>

#include "explain/mount.h"
#include "explain/mount_text.h"
#include "explain/pinner.h"
#include "explain_fixture.h"

namespace detach {
namespace {

constexpr MountKey kAttached = 50;
constexpr MountKey kDetached = 100;

class ProbeExplain : public Explain {
 protected:
  // /dev/loop3's ext4 at /mnt/x, or lazily detached from there.
  void AddFs(bool attached) {
    Mount& m = AddMount(attached ? kAttached : kDetached, kLoop3, "/mnt/x", "ext4", "/dev/loop3", attached);
    m.target = "/mnt/x";
  }
  Pin& AddBinfmt(MountKey mount, const std::string& name, const std::string& interpreter) {
    Pin& pin = AddKernelPin(PinKind::BinfmtInterpreter, kLoop3, name, interpreter);
    pin.mount = mount;
    pin.role = "/proc/sys/fs/binfmt_misc";
    return pin;
  }
  Pin& AddUprobe(MountKey mount, const std::string& definition, const std::string& path) {
    Pin& pin = AddKernelPin(PinKind::Uprobe, kLoop3, "uprobes/probe", path);
    pin.mount = mount;
    pin.role = definition;
    return pin;
  }
  Pin& AddLink(PinKind kind, MountKey mount, pid_t pid, int fd) {
    Pin& pin = AddPin(kind, mount, pid, fd);
    pin.dev = kLoop3;
    pin.holder = "7";
    pin.role = "uprobe_multi";
    pin.path = "/mnt/x/bin";
    return pin;
  }
  std::vector<std::string> Busy() {
    snapshot_.build_superblocks();
    return busy_text(snapshot_, explain_busy_mount(snapshot_, snapshot_.mounts.at(kAttached)), {});
  }
  std::vector<std::string> AfterLazyUmount() {
    snapshot_.build_superblocks();
    return survival_text(snapshot_, explain_survival(snapshot_, kDetached, kLoop3, kOwnNs),
                         Survival::AfterLazyUmount, {});
  }
};

// Given a binfmt_misc entry with flag F whose interpreter is on /mnt/x, umount /mnt/x should name the entry
// and say how to remove it.
TEST_F(ProbeExplain, ABinfmtEntryMakesTheMountBusyAndUmountSaysHowToRemoveIt) {
  AddFs(true);
  AddBinfmt(kAttached, "qemu-arm", "/mnt/x/qemu-arm");
  EXPECT_EQ(Busy(),
            (std::vector<std::string>{
                "/mnt/x is pinned by binfmt_misc entry qemu-arm (interpreter /mnt/x/qemu-arm)",
                "remove the binfmt_misc entry qemu-arm first: echo -1 > /proc/sys/fs/binfmt_misc/qemu-arm"}));
}

// Given a binfmt_misc entry the BPF source read of an instance no attached mount shows (no mount point: an
// empty role), umount -l should name the entry and say that a mount of its instance is needed to remove it,
// naming no file of ours.
TEST_F(ProbeExplain, AnEntryOfAnInstanceNoMountShowsIsRemovedThroughAMountOfIt) {
  AddFs(false);
  AddBinfmt(kDetached, "qemu-arm", "/mnt/x/qemu-arm").role.clear();
  std::vector<std::string> lines = AfterLazyUmount();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(
      lines[0],
      "lazily unmounted, but its filesystem lives on, pinned by binfmt_misc entry qemu-arm (interpreter "
      "/mnt/x/qemu-arm)");
  EXPECT_EQ(lines[1],
            "remove the binfmt_misc entry qemu-arm first: echo -1 > qemu-arm in a mount of its binfmt_misc "
            "instance (none is attached; mount binfmt_misc in its user namespace)");
}

// Given a uprobe event on a binary of /mnt/x matched after umount -l by the former mount point, umount should
// say the filesystem lives on, held by the event, found so, and how to remove it.
TEST_F(ProbeExplain, AUprobeEventKeepsALazilyUnmountedFilesystemAndUmountSaysHowToRemoveIt) {
  AddFs(false);
  AddUprobe(kDetached, "r:uprobes/probe /mnt/x/bin:0x1000", "/mnt/x/bin").by_former_target = true;
  std::vector<std::string> lines = AfterLazyUmount();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "lazily unmounted, but its filesystem lives on, pinned by uprobe uprobes/probe (return probe "
            "/mnt/x/bin:0x1000; found by the former mount point)");
  EXPECT_EQ(lines[1],
            "remove the uprobe event uprobes/probe first: echo -:uprobes/probe >> "
            "/sys/kernel/tracing/uprobe_events");
  EXPECT_EQ(lines[2], "findmnt --detached shows it; mkfs-guard --wait /dev/loop3 waits for its end");
}

// Given tracefs mounted elsewhere only, the advice names that mount.
TEST_F(ProbeExplain, TheUprobeAdviceNamesWhereTracefsIsMounted) {
  AddFs(true);
  AddMount(60, {0, 12}, "/sys/kernel/debug/tracing", "tracefs", "tracefs", true);
  AddUprobe(kAttached, "p:uprobes/probe /mnt/x/bin:0x1000", "/mnt/x/bin");
  std::vector<std::string> lines = Busy();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "/mnt/x is pinned by uprobe uprobes/probe (probe /mnt/x/bin:0x1000)");
  EXPECT_EQ(lines[1],
            "remove the uprobe event uprobes/probe first: echo -:uprobes/probe >> "
            "/sys/kernel/debug/tracing/uprobe_events");
}

// Given names and instance paths a shell would split, the advice quotes them; control characters are shown.
TEST_F(ProbeExplain, TheBinfmtAdviceQuotesWhatAShellWouldSplit) {
  AddFs(true);
  AddBinfmt(kAttached, "it's a\tb", "/mnt/x/i");
  std::vector<std::string> lines = Busy();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1],
            "remove the binfmt_misc entry it's a\\x09b first: echo -1 > "
            "'/proc/sys/fs/binfmt_misc/it'\\''s a\\x09b'");
}

// Given a BPF uprobe link held by a process, that process pins the mount through the link's fd, in words
// and as data.
TEST_F(ProbeExplain, ABpfLinkHeldByAProcessNamesTheProcessAndTheLink) {
  AddFs(false);
  AddLink(PinKind::BpfLink, kDetached, 1234, 3);
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it holds an ext4 filesystem that was lazily unmounted from /mnt/x and is still "
      "pinned by: 1234 (sleep) bpf link 7 fd 3 (uprobe_multi /mnt/x/bin)\n");
  json pinner = to_json(snapshot_, report)["reasons"][0]["pinners"][0];
  EXPECT_EQ(pinner["kind"], "process");
  EXPECT_EQ(
      pinner["pins"][0],
      json::parse(R"({"kind":"bpf-link","fd":3,"probe":"uprobe_multi","link-id":7,"path":"/mnt/x/bin"})"));
  EXPECT_EQ(AfterLazyUmount().size(), 2u) << "a process pinner needs no advice line";
}

// Given a BPF uprobe link no process holds (pinned in a bpffs), it is a kernel pinner of its own, with
// advice.
TEST_F(ProbeExplain, ABpfLinkNoProcessHoldsIsAKernelPinner) {
  AddFs(false);
  AddLink(PinKind::KernelBpfLink, kDetached, 0, -1);
  std::vector<std::string> lines = AfterLazyUmount();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "lazily unmounted, but its filesystem lives on, pinned by BPF link 7 (uprobe_multi "
            "/mnt/x/bin; no process holds it)");
  EXPECT_EQ(lines[1],
            "remove the pin of BPF link 7 first (bpftool -f link show id 7 names it), or end what holds it");
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  json pinner = to_json(snapshot_, report)["reasons"][0]["pinners"][0];
  EXPECT_EQ(pinner["kind"], "bpf-link");
  EXPECT_EQ(pinner["holder"], "7");
  EXPECT_EQ(pinner["certain"], true);
  EXPECT_EQ(pinner["pins"][0]["link-id"], 7);
}

// Given a binfmt_misc entry on a detached filesystem, mkfs-guard names it, and its JSON says which instance.
TEST_F(ProbeExplain, MkfsGuardNamesABinfmtEntryAndItsInstance) {
  AddFs(false);
  AddBinfmt(kDetached, "qemu-arm", "/mnt/x/qemu-arm").by_former_target = true;
  DeviceReport report = Ask("/dev/loop3", kLoop3);
  EXPECT_EQ(
      Text(report),
      "/dev/loop3 is busy: it holds an ext4 filesystem that was lazily unmounted from /mnt/x and is still "
      "held by: binfmt_misc entry qemu-arm (interpreter /mnt/x/qemu-arm; found by the former mount "
      "point)\n");
  json pinner = to_json(snapshot_, report)["reasons"][0]["pinners"][0];
  EXPECT_EQ(pinner["kind"], "binfmt_misc");
  EXPECT_EQ(pinner["holder"], "qemu-arm");
  EXPECT_EQ(pinner["pins"][0],
            json::parse(R"({"kind":"binfmt-interpreter","instance":"/proc/sys/fs/binfmt_misc",
                                               "path":"/mnt/x/qemu-arm","matched-by-former-target":true})"));
}

// Given a uprobe whose file resolves nowhere (its path unplaced), a busy mount names it only as "may", and no
// advice is given for what may not hold it.
TEST_F(ProbeExplain, AnUnplacedUprobeIsOnlyASuspectWithoutAdvice) {
  AddFs(true);
  Pin& probe = AddUprobe(0, "p:uprobes/probe bin:0x1000", "bin");
  probe.dev = {};
  std::vector<std::string> lines = Busy();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "nothing the scan sees pins it; it may be held by uprobe uprobes/probe (probe bin:0x1000)");
}

}  // namespace
}  // namespace detach

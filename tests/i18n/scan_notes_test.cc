// SPDX-License-Identifier: GPL-2.0-or-later
// The scan's notes and the why of its task-pin source, said from their kinds: for a program the English the
// scan used to build, byte for byte and in every locale; for a person in zh_CN and ja, with every argument.
// Our catalogs from the build (DETACH_UTILS_LOCALEDIR), the test locales (LOCPATH): tests/i18n/meson.build.
#include <libintl.h>
#include <clocale>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "base/i18n.h"
#include "explain/scan_notes.h"

namespace detach {
namespace {

// A note, its arguments as they end up in the sentence, and the English the scan used to build for it.
struct Case {
  ScanNote note;
  std::vector<std::string> shown;
  std::string english;
};

constexpr MountKey kUnprobedKey = 77;

std::vector<Case> cases() {
  using K = ScanNoteKind;
  return {
      {{K::RingFilesPartlyListed, {"5", "42", "3"}, 8},
       {"5", "42", "8", "3"},
       "io_uring ring fd 5 of process 42 registers 8 files, of which its fdinfo listed 3 (the ring was "
       "busy)"},
      {{K::UnixSocketsNotListed, {"netlink: Operation not permitted"}},
       {"netlink: Operation not permitted"},
       "unix sockets not listed: netlink: Operation not permitted"},
      {{K::UnixSocketsOfNetNsNotListed, {"4026531840", "open /proc/9/ns/net: No such file"}},
       {"4026531840", "open /proc/9/ns/net: No such file"},
       "unix sockets of network namespace net:[4026531840] not listed: open /proc/9/ns/net: No such file"},
      {{K::BinfmtNotRead, {"/proc/sys/fs/binfmt_misc", "timed out"}},
       {"/proc/sys/fs/binfmt_misc", "timed out"},
       "binfmt_misc entries at /proc/sys/fs/binfmt_misc not read: timed out"},
      {{K::BinfmtMalformed, {"/proc/sys/fs/binfmt_misc"}, 2},
       {"2", "/proc/sys/fs/binfmt_misc"},
       "2 binfmt_misc entries at /proc/sys/fs/binfmt_misc could not be read as entries"},
      {{K::BinfmtEntriesTruncated, {"0:41"}, 64},
       {"64", "0:41"},
       "the binfmt_misc instance on device 0:41 has more entries with flag F than the first 64 read"},
      {{K::UprobeEventsNotRead, {"timed out"}}, {"timed out"}, "uprobe events not read: timed out"},
      {{K::UprobeEventsNoTracefs, {}},
       {},
       "uprobe events not read: tracefs is mounted in no mount namespace the scan sees"},
      {{K::UprobeLinesMalformed, {"/sys/kernel/tracing"}, 4},
       {"4", "/sys/kernel/tracing"},
       "4 lines of /sys/kernel/tracing/uprobe_events could not be read as uprobe events"},
      {{K::BpfLinksNotRead, {"bpf: Invalid argument"}},
       {"bpf: Invalid argument"},
       "BPF links not read: bpf: Invalid argument"},
      {{K::BpfLinksNotReadNeedCap, {"bpf: Operation not permitted"}},
       {"bpf: Operation not permitted"},
       "BPF links not read: bpf: Operation not permitted (it needs CAP_SYS_ADMIN)"},
      {{K::BpfLinksUndescribed, {}, 3},
       {"3"},
       "3 BPF perf-event links this kernel does not describe (before 6.6): any of them may be a uprobe"},
      {{K::BpfLinksUnreadable, {}, 6}, {"6"}, "6 BPF links could not be read"},
      {{K::LiveFilesystemsNotListed, {"/sys/fs/xfs", "Permission denied"}},
       {"/sys/fs/xfs", "Permission denied"},
       "live filesystems: could not list /sys/fs/xfs: Permission denied"},
      {{K::NamespaceWalkRefused, {"ioctl NS_MNT_GET_NEXT: Operation not permitted"}},
       {"ioctl NS_MNT_GET_NEXT: Operation not permitted"},
       "mount namespaces: ioctl NS_MNT_GET_NEXT: Operation not permitted: only namespaces with a task are "
       "seen"},
      {{K::ListmountFailed, {"listmount: Invalid argument"}},
       {"listmount: Invalid argument"},
       "listmount: listmount: Invalid argument: using mountinfo"},
      {{K::Ext4JournalsUnread, {"/sys/fs/ext4/loop3/journal_task: Permission denied"}},
       {"/sys/fs/ext4/loop3/journal_task: Permission denied"},
       "ext4 journal devices: could not read /sys/fs/ext4/loop3/journal_task: Permission denied"},
      {{K::BtrfsDevicesUnread, {"/sys/fs/btrfs: Permission denied"}},
       {"/sys/fs/btrfs: Permission denied"},
       "btrfs devices: could not read /sys/fs/btrfs: Permission denied"},
      {{K::BlockDevicesUnread, {"/sys/class/block/sda/holders: Permission denied"}},
       {"/sys/class/block/sda/holders: Permission denied"},
       "block devices not fully read: /sys/class/block/sda/holders: Permission denied"},
      {{K::SwapsNotRead, {"open /proc/swaps: Permission denied"}},
       {"open /proc/swaps: Permission denied"},
       "swap areas not read: open /proc/swaps: Permission denied"},
      {{K::DetachedMountUnprobed, {std::to_string(kUnprobedKey)}},
       {"77", "fuse"},
       "detached mount 77 (fuse) could not be probed: its filesystem did not answer in time"},
      {{K::JournalNotRead, {"not trusted: owned by uid 65534"}},
       {"not trusted: owned by uid 65534"},
       "journal of detaches not read: not trusted: owned by uid 65534"},
      {{K::JournalNotJoined, {"open /proc/sys/kernel/random/boot_id: No such file"}},
       {"open /proc/sys/kernel/random/boot_id: No such file"},
       "journal of detaches not joined: open /proc/sys/kernel/random/boot_id: No such file"},
      {{K::OverlayLayersUnknown, {"/srv/ov", "12"}},
       {"/srv/ov"},
       "the layers of overlay /srv/ov are unknown: it was lazily unmounted and no record of its options was "
       "kept"},
      {{K::InFlightQueueTruncated, {"81234", "1024", "512"}},
       {"81234", "1024", "512"},
       "unix socket socket:[81234] holds more in its queue than its first 1024 messages or 512 files in "
       "flight, which were read: the rest are only counted"},
      {{K::OverlayLayersUnknown, {"", "12"}},
       {"12"},
       "the layers of overlay mount 12 are unknown: it was lazily unmounted and no record of its options was "
       "kept"},
  };
}

// The why of each task-pin source, and the English the scan used to build for it.
std::vector<std::pair<PinSource, std::string>> sources() {
  auto source = [](PinSourceWhy why, std::string detail = {}) {
    PinSource s;
    s.why = why;
    s.why_detail = std::move(detail);
    return s;
  };
  PinSource rings = source(PinSourceWhy::LoadedByLibbpf);
  rings.rings = FamilyFallback::Failed;
  rings.rings_detail = "bpf_iter: Invalid argument";
  PinSource unloaded = source(PinSourceWhy::LoadedInKernel);
  unloaded.rings = FamilyFallback::DidNotLoad;
  unloaded.rings_detail = "verifier: Permission denied";
  PinSource in_flight = source(PinSourceWhy::LoadedByLibbpf);
  in_flight.in_flight = FamilyFallback::DidNotLoad;
  in_flight.in_flight_detail = "verifier: Permission denied";
  PinSource both = rings;
  both.in_flight = FamilyFallback::Failed;
  both.in_flight_detail = "read: Bad address";
  PinSource overlays = source(PinSourceWhy::LoadedInKernel);
  overlays.overlays = FamilyFallback::DidNotLoad;
  overlays.overlays_detail = "verifier: Argument list too long";
  PinSource binfmt = source(PinSourceWhy::LoadedInKernel);
  binfmt.binfmt = FamilyFallback::DidNotLoad;
  binfmt.binfmt_detail = "verifier: Invalid argument";
  PinSource all = both;
  all.overlays = FamilyFallback::Failed;
  all.overlays_detail = "bpf link_create: Invalid argument";
  all.binfmt = FamilyFallback::Failed;
  all.binfmt_detail = "binfmt_misc: this kernel keeps binfmt_misc entries where BPF cannot read them";
  return {
      {source(PinSourceWhy::Unsaid), ""},
      {source(PinSourceWhy::NoTaskPins), "no task pins asked for"},
      {source(PinSourceWhy::ProcAsked), "the /proc source was asked for"},
      {source(PinSourceWhy::FixtureTree), "a fixture tree is read, not the running system"},
      {source(PinSourceWhy::NotBuilt), "this build has no BPF source"},
      {source(PinSourceWhy::NotRoot), "not root: CAP_BPF and CAP_PERFMON are missing"},
      {source(PinSourceWhy::NoKernelBtf, "/sys/kernel/btf/vmlinux"),
       "the kernel has no BTF (/sys/kernel/btf/vmlinux)"},
      {source(PinSourceWhy::Lockdown), "kernel lockdown (confidentiality) refuses reading kernel memory"},
      {source(PinSourceWhy::NotInitialPidNs), "not in the initial PID namespace"},
      {source(PinSourceWhy::LoadFailed, "bpf: Operation not permitted"),
       "the BPF programs did not load (bpf: Operation not permitted)"},
      {source(PinSourceWhy::LoadedInKernel), "loaded by the in-kernel loader"},
      {source(PinSourceWhy::LoadedByLibbpf), "loaded by libbpf"},
      {source(PinSourceWhy::IteratorsFailed, "read: Bad address"),
       "the BPF iterators failed (read: Bad address)"},
      {rings,
       "loaded by libbpf; io_uring registered files placed from the rings' fdinfo: their BPF program failed "
       "(bpf_iter: Invalid argument)"},
      {unloaded,
       "loaded by the in-kernel loader; io_uring registered files placed from the rings' fdinfo: their BPF "
       "program did not load (verifier: Permission denied)"},
      {in_flight,
       "loaded by libbpf; files in flight over unix sockets only counted from the sockets' fdinfo: their BPF "
       "program did not load (verifier: Permission denied)"},
      {both,
       "loaded by libbpf; io_uring registered files placed from the rings' fdinfo: their BPF program failed "
       "(bpf_iter: Invalid argument); files in flight over unix sockets only counted from the sockets' "
       "fdinfo: "
       "their BPF program failed (read: Bad address)"},
      {overlays,
       "loaded by the in-kernel loader; overlay layers placed from the overlays' options: their BPF program "
       "did "
       "not load (verifier: Argument list too long)"},
      {binfmt,
       "loaded by the in-kernel loader; binfmt_misc interpreters placed by their paths: their BPF program "
       "did "
       "not load (verifier: Invalid argument)"},
      {all,
       "loaded by libbpf; io_uring registered files placed from the rings' fdinfo: their BPF program failed "
       "(bpf_iter: Invalid argument); files in flight over unix sockets only counted from the sockets' "
       "fdinfo: their BPF program failed (read: Bad address); overlay layers placed from the overlays' "
       "options: their BPF program failed (bpf link_create: Invalid argument); binfmt_misc interpreters "
       "placed by their paths: their BPF program failed (binfmt_misc: this kernel keeps binfmt_misc entries "
       "where BPF cannot read them)"},
  };
}

Snapshot snapshot_with_unprobed_mount() {
  Snapshot s;
  Mount& m = s.mounts[kUnprobedKey];
  m.key = kUnprobedKey;
  m.fstype = "fuse";
  m.attached = false;
  m.unprobed = ProbeFailure::FsTimedOut;
  return s;
}

class ScanNotesIn : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("DETACH_UTILS_LOCALEDIR");
    ASSERT_NE(dir, nullptr) << "DETACH_UTILS_LOCALEDIR: the build's po/ (tests/i18n/meson.build sets it)";
    ASSERT_NE(std::setlocale(LC_ALL, GetParam()), nullptr) << GetParam() << " (LOCPATH: the test locales)";
    ::bindtextdomain(kTextDomain, dir);
    ::bind_textdomain_codeset(kTextDomain, "UTF-8");
  }
  void TearDown() override { std::setlocale(LC_ALL, "C"); }
  bool english() const { return std::string(GetParam()) == "C"; }
};

// Given each kind of note, we should say it to a program in the English the scan used to build, in every
// locale, and to a person in the locale's language (English in C) with every argument in it.
TEST_P(ScanNotesIn, EachKindSaysItsArgumentsAndProgramsGetTheEnglish) {
  const Snapshot snapshot = snapshot_with_unprobed_mount();
  for (const Case& c : cases()) {
    const std::string program = scan_note_text(snapshot, c.note, Words::program());
    const std::string person = scan_note_text(snapshot, c.note, Words::person());
    EXPECT_EQ(program, c.english);
    if (english())
      EXPECT_EQ(person, c.english);
    else
      EXPECT_NE(person, c.english) << "not translated in " << GetParam();
    for (const std::string& arg : c.shown)
      EXPECT_NE(person.find(arg), std::string::npos) << arg << " in " << person;
  }
}

// Given one of each, a note with a count of one takes the singular in English.
TEST_P(ScanNotesIn, ACountOfOneIsSingularInEnglish) {
  const Snapshot snapshot;
  EXPECT_EQ(scan_note_text(snapshot, {ScanNoteKind::BpfLinksUnreadable, {}, 1}, Words::program()),
            "1 BPF link could not be read");
  EXPECT_EQ(scan_note_text(snapshot, {ScanNoteKind::BinfmtMalformed, {"/b"}, 1}, Words::program()),
            "1 binfmt_misc entry at /b could not be read as an entry");
}

// Given each reason the scan chose its task-pin source, we should give a program the English the scan used
// to build, and a person the locale's words.
TEST_P(ScanNotesIn, EachWhyOfThePinSourceIsSaid) {
  for (const auto& [source, english_text] : sources()) {
    EXPECT_EQ(pin_source_why(source, Words::program()), english_text);
    const std::string person = pin_source_why(source, Words::person());
    if (english() || english_text.empty())
      EXPECT_EQ(person, english_text);
    else
      EXPECT_NE(person, english_text) << "not translated in " << GetParam();
    if (!source.why_detail.empty()) {
      EXPECT_NE(person.find(source.why_detail), std::string::npos) << person;
    }
    if (!source.rings_detail.empty()) {
      EXPECT_NE(person.find(source.rings_detail), std::string::npos) << person;
    }
    if (!source.in_flight_detail.empty()) {
      EXPECT_NE(person.find(source.in_flight_detail), std::string::npos) << person;
    }
    if (!source.overlays_detail.empty()) {
      EXPECT_NE(person.find(source.overlays_detail), std::string::npos) << person;
    }
    if (!source.binfmt_detail.empty()) {
      EXPECT_NE(person.find(source.binfmt_detail), std::string::npos) << person;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Locales, ScanNotesIn, ::testing::Values("C", "zh_CN.UTF-8", "ja_JP.UTF-8"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           const std::string name = info.param;
                           return name == "C" ? std::string("C") : name.substr(0, name.find('.'));
                         });

}  // namespace
}  // namespace detach

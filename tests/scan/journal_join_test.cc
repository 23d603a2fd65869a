// SPDX-License-Identifier: GPL-2.0-or-later
// The scan joins the journal of detaches: a lazily detached mount gets back its former mount point, namespace
// and time from a record made before the detach, and only from a record of this boot with its unique id.
#include <fcntl.h>
#include <unistd.h>

#include <ctime>

#include "../integration/harness.h"
#include "explain/scan_notes.h"
#include "journal/journal.h"
#include "kernel/statx.h"
#include "scan/scan.h"

namespace itest {
namespace {

detach::Snapshot Take(const std::string& journal_dir) {
  detach::ScanOptions options;
  options.journal_dir = journal_dir;
  auto snapshot = detach::take_snapshot(options);
  if (!snapshot) throw std::runtime_error(snapshot.error().message());
  return std::move(*snapshot);
}

std::string BootId() {
  auto id = detach::current_boot_id();
  if (!id) throw std::runtime_error(id.error().message());
  return *id;
}

// A loop fs, mounted, with a `sleep` whose cwd pins it, and its unique mount id taken while still attached.
struct PinnedFs {
  LoopFs fs;
  std::uint64_t id = 0;
  std::optional<ChildProcess> pinner;

  PinnedFs() {
    auto ref = detach::mount_ref_at(AT_FDCWD, fs.mountpoint().c_str(), true);
    if (!ref || !ref->unique) throw std::runtime_error("statx STATX_MNT_ID_UNIQUE of " + fs.mountpoint());
    id = ref->mnt_id;
    pinner.emplace(SpawnSleepWithCwd(fs.mountpoint()));
  }
};

bool HasNoteAbout(const detach::Snapshot& snapshot, const std::string& text) {
  for (const detach::ScanNote& note : snapshot.gaps.notes)
    if (detach::scan_note_text(snapshot, note, detach::Words::program()).find(text) != std::string::npos)
      return true;
  return false;
}

// Given a record of the mount made while it was attached (as umount does), we should give the detached mount
// its former mount point, namespace and detach time.
TEST(JournalJoin, DetachedMountGetsTargetNamespaceAndTimeFromItsRecord) {
  ITEST_REQUIRE_ROOT();
  TempDir journal_dir;
  PinnedFs pinned;
  ASSERT_EQ(pinned.id, pinned.fs.mount().unique_id()) << "statx of the library and of the harness disagree";
  detach::Snapshot before = Take("");
  const detach::Mount* attached = before.mount(pinned.id);
  ASSERT_NE(attached, nullptr) << "mount " << pinned.id << " not listed while attached";
  ASSERT_TRUE(attached->attached);
  ASSERT_NE(attached->ns_id, 0u) << "the kernel gives namespace ids (6.18)";
  const long long detached_at = static_cast<long long>(std::time(nullptr));
  detach::DetachRecord record = detach::record_of(*attached, detached_at, "umount", BootId());
  pinned.fs.mount().Detach();
  ASSERT_TRUE(detach::DetachJournal(journal_dir.path()).append(record));

  detach::Snapshot snapshot = Take(journal_dir.path());
  const detach::Mount* m = snapshot.mount(pinned.id);
  ASSERT_NE(m, nullptr) << "detached mount " << pinned.id << " not found";
  EXPECT_FALSE(m->attached);
  EXPECT_EQ(m->unique_id, pinned.id);
  EXPECT_EQ(m->target, pinned.fs.mountpoint());
  EXPECT_EQ(m->ns_id, attached->ns_id);
  ASSERT_TRUE(m->detached_at.has_value());
  EXPECT_EQ(*m->detached_at, detached_at);
  EXPECT_EQ(m->source, pinned.fs.device());  // still described by the scan itself
  EXPECT_FALSE(HasNoteAbout(snapshot, "journal"));
}

// Given a detached tmpfs (no device: nothing but a record tells its source), we should take its source from
// the record made while it was attached.
TEST(JournalJoin, DetachedTmpfsGetsItsSourceFromItsRecord) {
  ITEST_REQUIRE_ROOT();
  TempDir journal_dir;
  TempDir dir;
  Mount tmpfs("journal-join-tmpfs", dir.MakeDir("t"), "tmpfs");
  ChildProcess pinner = SpawnSleepWithCwd(tmpfs.target());
  detach::Snapshot before = Take("");
  const detach::Mount* attached = before.mount(tmpfs.unique_id());
  ASSERT_NE(attached, nullptr);
  detach::DetachRecord record = detach::record_of(*attached, std::time(nullptr), "umount", BootId());
  tmpfs.Detach();
  ASSERT_TRUE(detach::DetachJournal(journal_dir.path()).append(record));
  detach::Snapshot snapshot = Take(journal_dir.path());
  const detach::Mount* m = snapshot.mount(tmpfs.unique_id());
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->source, "journal-join-tmpfs");
  EXPECT_EQ(m->fstype, "tmpfs");
  EXPECT_EQ(m->target, dir.path() + "/t");
}

// Given a record forged into a journal that nobody owns (anyone could have written it), we should not join
// it: the detached mount keeps an empty former mount point, and the snapshot notes why.
TEST(JournalJoin, RecordInAJournalNobodyOwnsIsNotJoined) {
  ITEST_REQUIRE_ROOT();
  TempDir journal_dir;
  PinnedFs pinned;
  detach::DetachRecord forged;
  forged.boot_id = BootId();
  forged.unique_id = pinned.id;
  forged.target = "/forged/by/nobody";
  forged.recorded_by = "umount";
  pinned.fs.mount().Detach();
  ASSERT_TRUE(detach::DetachJournal(journal_dir.path()).append(forged));
  const std::string file = journal_dir.path() + "/journal";
  ASSERT_EQ(chown(file.c_str(), 65534, 65534), 0);

  detach::Snapshot snapshot = Take(journal_dir.path());
  const detach::Mount* m = snapshot.mount(pinned.id);
  ASSERT_NE(m, nullptr) << "detached mount " << pinned.id << " not found";
  EXPECT_EQ(m->target, "");
  EXPECT_TRUE(HasNoteAbout(snapshot, "not trusted: owned by uid 65534"));
}

// Given a journal whose only records are of another boot (same id) or of another mount, and then no journal,
// we should leave the former mount point unknown rather than guess.
TEST(JournalJoin, WithoutAMatchingRecordTheFormerMountPointStaysUnknown) {
  ITEST_REQUIRE_ROOT();
  TempDir journal_dir;
  PinnedFs pinned;
  detach::DetachRecord other_boot;
  other_boot.boot_id = "00000000-0000-0000-0000-000000000000";
  other_boot.unique_id = pinned.id;
  other_boot.ns_id = 1;
  other_boot.detached_at = 1;
  other_boot.target = "/from/another/boot";
  detach::DetachRecord other_mount = other_boot;
  other_mount.boot_id = BootId();
  other_mount.unique_id = pinned.id + 1;
  other_mount.target = "/another/mount";
  detach::DetachJournal journal(journal_dir.path());
  ASSERT_TRUE(journal.append(other_boot));
  ASSERT_TRUE(journal.append(other_mount));
  pinned.fs.mount().Detach();

  for (const std::string& dir : {journal_dir.path(), journal_dir.path() + "/missing", std::string()}) {
    detach::Snapshot snapshot = Take(dir);
    const detach::Mount* m = snapshot.mount(pinned.id);
    ASSERT_NE(m, nullptr) << "detached mount " << pinned.id << " not found, journal dir '" << dir << "'";
    EXPECT_FALSE(m->attached);
    EXPECT_EQ(m->target, "") << "journal dir '" << dir << "'";
    EXPECT_EQ(m->ns_id, 0u);
    EXPECT_FALSE(m->detached_at.has_value());
    EXPECT_FALSE(HasNoteAbout(snapshot, "journal")) << "a missing or non-matching journal is no gap";
  }
}

// Given two records of the same detach (umount, then findmnt --poll a moment later), the newest should win.
TEST(JournalJoin, NewestRecordOfAnIdWins) {
  ITEST_REQUIRE_ROOT();
  TempDir journal_dir;
  PinnedFs pinned;
  detach::DetachRecord first;
  first.boot_id = BootId();
  first.unique_id = pinned.id;
  first.ns_id = 11;
  first.detached_at = 1000;
  first.target = "/first";
  detach::DetachRecord second = first;
  second.ns_id = 22;
  second.detached_at = 2000;
  second.target = "/second";
  detach::DetachJournal journal(journal_dir.path());
  ASSERT_TRUE(journal.append(second));
  ASSERT_TRUE(journal.append(first));  // written later, but older
  pinned.fs.mount().Detach();
  detach::Snapshot snapshot = Take(journal_dir.path());
  const detach::Mount* m = snapshot.mount(pinned.id);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->target, "/second");
  EXPECT_EQ(m->ns_id, 22u);
  EXPECT_EQ(m->detached_at, 2000);
}

// Given a journal that is there but cannot be read (a symlink, refused), we should say so in the scan's gaps
// and still list the detached mount.
TEST(JournalJoin, UnreadableJournalIsAGapNotAnError) {
  ITEST_REQUIRE_ROOT();
  TempDir journal_dir;
  PinnedFs pinned;
  WriteFile(journal_dir.path() + "/elsewhere", "");
  ASSERT_EQ(::symlink("elsewhere", (journal_dir.path() + "/journal").c_str()), 0);
  pinned.fs.mount().Detach();
  detach::Snapshot snapshot = Take(journal_dir.path());
  const detach::Mount* m = snapshot.mount(pinned.id);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->target, "");
  EXPECT_TRUE(HasNoteAbout(snapshot, "journal of detaches not read"));
}

}  // namespace
}  // namespace itest

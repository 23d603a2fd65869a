// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/scan_notes.h"

#include <charconv>

#include "explain/gaps.h"

namespace detach {
namespace {

// Argument I of NOTE, as its kind says; empty when the note has fewer (a hand-built one).
const std::string& arg(const ScanNote& note, std::size_t i) {
  static const std::string kNone;
  return i < note.args.size() ? note.args[i] : kNone;
}

std::string mount_note(const Snapshot& snapshot, const ScanNote& note, const Words& words) {
  const std::string& key = arg(note, 0);
  MountKey k = 0;
  std::from_chars(key.data(), key.data() + key.size(), k);
  if (const Mount* m = snapshot.mount(k)) return unprobed_mount_text(*m, words);
  // TRANSLATORS: {0} is a mount's id.
  return words.trf("detached mount {0} could not be probed", key);
}

}  // namespace

std::string scan_note_text(const Snapshot& snapshot, const ScanNote& note, const Words& words) {
  const unsigned long n = note.count;
  switch (note.kind) {
    case ScanNoteKind::RingFilesPartlyListed:
      // TRANSLATORS: {0} is an fd, {1} a process id; the ring registers {2} files, its fdinfo listed {3}.
      return words.trnf(
          "io_uring ring fd {0} of process {1} registers {2} file, of which its fdinfo listed {3} (the ring "
          "was "
          "busy)",
          "io_uring ring fd {0} of process {1} registers {2} files, of which its fdinfo listed {3} (the ring "
          "was busy)",
          n, arg(note, 0), arg(note, 1), n, arg(note, 2));
    case ScanNoteKind::UnixSocketsNotListed:
      // TRANSLATORS: {0} is the error.
      return words.trf("unix sockets not listed: {0}", arg(note, 0));
    case ScanNoteKind::UnixSocketsOfNetNsNotListed:
      // TRANSLATORS: {0} is a network namespace's inode, {1} the error.
      return words.trf("unix sockets of network namespace net:[{0}] not listed: {1}", arg(note, 0),
                       arg(note, 1));
    case ScanNoteKind::BinfmtNotRead:
      // TRANSLATORS: {0} is where binfmt_misc is mounted, {1} the error.
      return words.trf("binfmt_misc entries at {0} not read: {1}", arg(note, 0), arg(note, 1));
    case ScanNoteKind::BinfmtMalformed:
      // TRANSLATORS: {1} is where binfmt_misc is mounted.
      return words.trnf("{0} binfmt_misc entry at {1} could not be read as an entry",
                        "{0} binfmt_misc entries at {1} could not be read as entries", n, n, arg(note, 0));
    case ScanNoteKind::BinfmtEntriesTruncated:
      // TRANSLATORS: {1} is the device of a binfmt_misc instance that no mount shows ("?" when unknown).
      return words.trnf(
          "the binfmt_misc instance on device {1} has more entries with flag F than the first {0} read",
          "the binfmt_misc instance on device {1} has more entries with flag F than the first {0} read", n, n,
          arg(note, 0));
    case ScanNoteKind::UprobeEventsNotRead:
      // TRANSLATORS: {0} is the error.
      return words.trf("uprobe events not read: {0}", arg(note, 0));
    case ScanNoteKind::UprobeEventsNoTracefs:
      return words.tr("uprobe events not read: tracefs is mounted in no mount namespace the scan sees");
    case ScanNoteKind::UprobeLinesMalformed:
      // TRANSLATORS: {1} is where tracefs is mounted.
      return words.trnf("{0} line of {1}/uprobe_events could not be read as a uprobe event",
                        "{0} lines of {1}/uprobe_events could not be read as uprobe events", n, n,
                        arg(note, 0));
    case ScanNoteKind::BpfLinksNotRead:
      // TRANSLATORS: {0} is the error.
      return words.trf("BPF links not read: {0}", arg(note, 0));
    case ScanNoteKind::BpfLinksNotReadNeedCap:
      // TRANSLATORS: {0} is the error.
      return words.trf("BPF links not read: {0} (it needs CAP_SYS_ADMIN)", arg(note, 0));
    case ScanNoteKind::BpfLinksUndescribed:
      return words.trnf(
          "{0} BPF perf-event link this kernel does not describe (before 6.6): it may be a uprobe",
          "{0} BPF perf-event links this kernel does not describe (before 6.6): any of them may be a uprobe",
          n, n);
    case ScanNoteKind::BpfLinksUnreadable:
      return words.trnf("{0} BPF link could not be read", "{0} BPF links could not be read", n, n);
    case ScanNoteKind::LiveFilesystemsNotListed:
      // TRANSLATORS: {0} is a sysfs directory, {1} the error.
      return words.trf("live filesystems: could not list {0}: {1}", arg(note, 0), arg(note, 1));
    case ScanNoteKind::NamespaceWalkRefused:
      // TRANSLATORS: {0} is the error.
      return words.trf("mount namespaces: {0}: only namespaces with a task are seen", arg(note, 0));
    case ScanNoteKind::ListmountFailed:
      // TRANSLATORS: {0} is the error.
      return words.trf("listmount: {0}: using mountinfo", arg(note, 0));
    case ScanNoteKind::Ext4JournalsUnread:
      // TRANSLATORS: {0} is a path and its error.
      return words.trf("ext4 journal devices: could not read {0}", arg(note, 0));
    case ScanNoteKind::BtrfsDevicesUnread:
      // TRANSLATORS: {0} is a path and its error.
      return words.trf("btrfs devices: could not read {0}", arg(note, 0));
    case ScanNoteKind::BlockDevicesUnread:
      // TRANSLATORS: {0} is a path and its error.
      return words.trf("block devices not fully read: {0}", arg(note, 0));
    case ScanNoteKind::SwapsNotRead:
      // TRANSLATORS: {0} is the error.
      return words.trf("swap areas not read: {0}", arg(note, 0));
    case ScanNoteKind::DetachedMountUnprobed:
      return mount_note(snapshot, note, words);
    case ScanNoteKind::JournalNotRead:
      // TRANSLATORS: the journal umount keeps of its detaches; {0} is the error.
      return words.trf("journal of detaches not read: {0}", arg(note, 0));
    case ScanNoteKind::JournalNotJoined:
      // TRANSLATORS: the journal umount keeps of its detaches; {0} is the error.
      return words.trf("journal of detaches not joined: {0}", arg(note, 0));
    case ScanNoteKind::OverlayLayersUnknown:
      if (arg(note, 0).empty())
        // TRANSLATORS: {0} is a mount's id.
        return words.trf(
            "the layers of overlay mount {0} are unknown: it was lazily unmounted and no record of its "
            "options "
            "was kept",
            arg(note, 1));
      // TRANSLATORS: {0} is where the overlay was mounted.
      return words.trf(
          "the layers of overlay {0} are unknown: it was lazily unmounted and no record of its options was "
          "kept",
          arg(note, 0));
    case ScanNoteKind::InFlightQueueTruncated:
      // TRANSLATORS: {0} is a socket's inode number; {1} and {2} are how many messages and files were read.
      return words.trf(
          "unix socket socket:[{0}] holds more in its queue than its first {1} messages or {2} files in "
          "flight, which were read: the rest are only counted",
          arg(note, 0), arg(note, 1), arg(note, 2));
  }
  return "";
}

}  // namespace detach

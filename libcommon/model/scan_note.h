// SPDX-License-Identifier: GPL-2.0-or-later
// What the scan could not read, beside the counts of ScanGaps: a note is a kind and its arguments, never a
// sentence, so that the explain layer says it in its reader's words (explain/scan_notes.h: a person's
// language, or the English a program reads) and no tool has to recognise a note by its words.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace detach {

// Each kind names its arguments (ScanNote::args, in this order) and whether ScanNote::count counts.
enum class ScanNoteKind {
  RingFilesPartlyListed,        // args: ring fd, pid, files listed; count: files registered
  UnixSocketsNotListed,         // args: error
  UnixSocketsOfNetNsNotListed,  // args: net namespace inode, error
  BinfmtNotRead,                // args: binfmt_misc mount point, error
  BinfmtMalformed,              // args: binfmt_misc mount point; count: entries not read as entries
  BinfmtEntriesTruncated,       // args: the instance's device ("?": unknown); count: entries read of it
  UprobeEventsNotRead,          // args: error
  UprobeEventsNoTracefs,        // tracefs is mounted in no namespace the scan sees
  UprobeLinesMalformed,         // args: tracefs mount point; count: lines not read as events
  BpfLinksNotRead,              // args: error
  BpfLinksNotReadNeedCap,       // args: error (EPERM: it needs CAP_SYS_ADMIN)
  BpfLinksUndescribed,          // count: perf-event links the kernel does not describe (before 6.6)
  BpfLinksUnreadable,           // count: links that could not be read
  LiveFilesystemsNotListed,     // args: sysfs directory, error
  NamespaceWalkRefused,         // args: error
  ListmountFailed,              // args: error
  Ext4JournalsUnread,           // args: what ("PATH: error")
  BtrfsDevicesUnread,           // args: what ("PATH: error")
  BlockDevicesUnread,           // args: what ("PATH: error")
  SwapsNotRead,                 // args: error
  DetachedMountUnprobed,        // args: mount key (its Mount::unprobed says why)
  JournalNotRead,               // args: error
  JournalNotJoined,             // args: error
  OverlayLayersUnknown,         // args: its former mount point ("" when unknown), mount key
  InFlightQueueTruncated,       // args: socket inode, messages read, files read (at most, per socket)
};

struct ScanNote {
  ScanNoteKind kind{};
  std::vector<std::string> args;  // as its kind says; errors are the kernel layer's messages, as given
  std::uint64_t count = 0;        // as its kind says (the number its sentence's plural follows)
};

}  // namespace detach

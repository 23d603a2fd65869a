// SPDX-License-Identifier: GPL-2.0-or-later
// The journal of lazy detaches: after umount --lazy the kernel forgets where a mount was and in which
// namespace, so the tools that see a detach happen write it down here, keyed by the mount's unique id, and
// the scan joins it back onto the detached mount.
//
// On disk: one text line per record, appended, in DIR/journal:
//   DJ1<TAB>boot=B<TAB>uid=N<TAB>oid=N<TAB>ns=N<TAB>dev=MAJ:MIN<TAB>at=SECS<TAB>by=S<TAB>fstype=S<TAB>
//   source=S<TAB>target=S<TAB>options=S<TAB>pinners=S<TAB>what=unmount<TAB>end<LF>
// "DJ1" is the format version: lines with any other tag are skipped, so a later format can share the file.
// Values escape every byte below 0x21, from 0x7f up, and the backslash as \ooo (octal, like mountinfo), so
// any path survives and a line holds no raw tab or newline. The closing "end" token tells a complete line
// from one cut short by a crash, and a repeated key a cut line with the next one glued on. Readers skip what
// they cannot parse (truncated, garbage, other versions) and keys they do not know. A rewrite (see
// kJournalMaxBytes) keeps only whole DJ1 lines of the appending record's boot.
//
// Trust: root writes the journal and root's tools show what it says, so a journal anyone else could have
// written is neither read nor written. Every component of the path is reached without following a symbolic
// link; the journal's directory and the file must be owned by root (or by the caller itself: a user can only
// fool themself) and not writable by group or others; every directory above them must be owned so too and
// either not writable by group or others, or sticky (/tmp: nobody else can replace what root made in it).
// Anything else fails with EPERM (ELOOP for a link) and the journal is left alone.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/mount.h"

namespace detach {

struct DetachRecord {
  std::string boot_id;          // /proc/sys/kernel/random/boot_id: records of other boots are ignored
  std::uint64_t unique_id = 0;  // the key; 0 = unknown (then the record is never joined)
  std::uint32_t old_id = 0;
  std::uint64_t ns_id = 0;  // namespace it was detached from
  DeviceNumber dev;
  long long detached_at = 0;  // epoch seconds
  std::string target, source, fstype;
  std::string recorded_by;  // "umount", "findmnt --poll"
  std::string options;      // mount options while attached ("rw,relatime,errors=continue"), when known
  std::string pinners;      // what pinned it at the detach, as people read it ("1234 (sleep) cwd"), if known
  // A plain umount that left the filesystem alive (its last mount anyone sees gone, the kernel still holding
  // it: an overlay's private copies of it), not a lazy detach: the mount itself is gone, only its device and
  // former mount point tell where a path the kernel keeps ("what=unmount"; a detach writes no such field).
  bool unmounted = false;
  friend bool operator==(const DetachRecord&, const DetachRecord&) = default;
};

inline constexpr const char* kDefaultJournalDir = "/run/detach-utils";

// Past this size an append first rewrites the file with only the current boot's newest records.
inline constexpr std::size_t kJournalMaxBytes = std::size_t{1} << 20;
// What a reader (and a rewrite) reads at most: the end of the file, whatever its size.
inline constexpr std::size_t kJournalReadBytes = 4 * kJournalMaxBytes;
// What a rewrite keeps at most. The byte bound stays well under kJournalMaxBytes so that long paths cannot
// make every following append rewrite the file again.
inline constexpr std::size_t kJournalKeepRecords = 4096;
inline constexpr std::size_t kJournalKeepBytes = 768 * 1024;

class DetachJournal {
 public:
  explicit DetachJournal(std::string dir = kDefaultJournalDir);

  // Adds R as one line (one write() under flock(LOCK_EX), so concurrent writers never interleave). Creates
  // the directory (0755) and the file (0644) when missing; refuses a journal it may not trust (see above).
  Status append(const DetachRecord& r) const;

  // The records of BOOT_ID (every boot when empty), in the order they were appended. A missing file or
  // directory is an empty journal, not an error; one it may not trust is an error (EPERM, ELOOP).
  Result<std::vector<DetachRecord>> read(const std::string& boot_id) const;

  const std::string& dir() const { return dir_; }
  const std::string& path() const { return path_; }

 private:
  std::string dir_;
  std::string path_;
};

// What the journal keeps of M, detached at DETACHED_AT: M is the mount as it was while attached. Its options
// are all of M's, per-mount and superblock ones, merged as libmount lists them (an overlay's layers and an
// xfs logdev= are among the latter); the pinners, and whether it was a plain umount (unmounted), are left for
// the caller to fill.
DetachRecord record_of(const Mount& m, long long detached_at, std::string recorded_by, std::string boot_id);

// proc_root/sys/kernel/random/boot_id, without its newline.
Result<std::string> current_boot_id(const std::string& proc_root = "/proc");

// One record as its journal line (newline included), and back. parse_journal_line takes a line without its
// newline and gives nothing for anything but a complete DJ1 record.
std::string format_journal_line(const DetachRecord& r);
std::optional<DetachRecord> parse_journal_line(std::string_view line);

// The newest record of each nonzero unique id: the latest detached_at, the later line on a tie (a mount is
// detached once, but umount and every findmnt --poll watcher may each record it). What the newest leaves
// unknown (a watcher that never saw the mount attached knows no target) comes from the newest that knows it.
std::map<std::uint64_t, DetachRecord> newest_by_unique_id(const std::vector<DetachRecord>& records);

}  // namespace detach

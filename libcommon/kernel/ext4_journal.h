// SPDX-License-Identifier: GPL-2.0-or-later
// ext4's external journal, as the kernel states it: each mounted (or lazily detached) ext4 filesystem has
// SYS_ROOT/fs/ext4/NAME/journal_task, the pid of its jbd2 thread, and jbd2 names that thread after the
// journal's device: "jbd2/loop4" for a journal on a device of its own, "jbd2/loop3-8" for one in inode 8 of
// the filesystem on loop3. Neither file calls into the filesystem.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace detach {

// The sysfs name of the external journal device that jbd2 thread THREAD_NAME (its /proc/PID/comm, without
// the newline) works for, given FS_NAME, the sysfs name of the filesystem's device; nullopt for a journal
// inside the filesystem ("FS_NAME-INODE") or a name that is no jbd2 thread's. jbd2 spells the device "%pg"
// with '/' as '!', as sysfs does ("cciss!c0d0").
std::optional<std::string> external_journal_device(std::string_view thread_name, std::string_view fs_name);

// "1234\n" as journal_task prints it: the pid; nullopt for "<none>" (no journal), 0 (the thread is not
// in the reader's pid namespace) and anything that is not one %d number.
std::optional<int> parse_journal_task(std::string_view text);

struct Ext4ExternalJournal {
  std::string fs_name;       // "loop3": the filesystem's device, as SYS_ROOT/fs/ext4 names it
  std::string journal_name;  // "loop4": the journal's device, as sysfs names it
};

struct Ext4Journals {
  std::vector<Ext4ExternalJournal> external;  // by fs_name
  // What could not be read and could hide a journal device: "/sys/fs/ext4/loop3/journal_task: Permission
  // denied". A filesystem that went away meanwhile (ENOENT, ESRCH) is no loss.
  std::vector<std::string> unread;
};

// FS_NAMES: the filesystems SYS_ROOT/fs/ext4 lists (read once per snapshot, with the other drivers' live
// filesystems).
Ext4Journals read_ext4_external_journals(const std::string& sys_root, const std::string& proc_root,
                                         std::vector<std::string> fs_names);

}  // namespace detach

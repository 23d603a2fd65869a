// SPDX-License-Identifier: GPL-2.0-or-later
// Readers of /proc (or a fixture tree laid out like it). Each returns an error value; ENOENT/ESRCH mean the
// task exited while we looked, EACCES that even root may not look: callers count both and go on.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "model/mount.h"

namespace detach {

// Numeric entries of DIR (pids under /proc, tids under /proc/PID/task, fds under /proc/PID/fd), sorted.
Result<std::vector<int>> list_numeric_entries(const std::string& dir);
Result<std::vector<int>> list_numeric_entries_at(int dirfd, const char* path);

// Opens PATH (relative to DIRFD) and calls VISIT(dir_fd, number, name) for each numeric entry as the kernel
// lists them (ascending for /proc/PID/fd): no list is built, and NAME is relative to DIR_FD, so a statx per
// entry costs no path building. Fails only when PATH cannot be opened.
Status visit_numeric_entries_at(int dirfd, const char* path,
                                const std::function<void(int dir_fd, int number, const char* name)>& visit);

// Names of a directory (map_files entries "7f..-7f..", sysfs holders), unsorted; "." and ".." left out.
Result<std::vector<std::string>> list_entries_at(int dirfd, const char* path);

Result<std::string> read_file(const std::string& path);

// A sysfs attribute without its one trailing newline ("7:0\n" -> "7:0"); empty when it cannot be read.
// Only one newline goes: a path in sysfs may itself end in a newline.
std::string read_attribute(const std::string& path);
Result<std::string> read_file_at(int dirfd, const char* path);
Result<std::string> read_link(const std::string& path);
Result<std::string> read_link_at(int dirfd, const char* path);

// Opens a directory to read relative paths from it (O_PATH is not enough for getdents).
Result<UniqueFd> open_dir(const std::string& path);

// /proc/PID/fdinfo/N: the mount id and access mode of one fd.
struct FdInfo {
  std::uint32_t mnt_id = 0;  // old id
  int flags = 0;             // open flags (O_ACCMODE part gives the access)
  std::uint64_t ino = 0;
  // A unix socket: how many files sent with SCM_RIGHTS wait in its receive queue (Linux 5.19; nullopt
  // before, and for other fds).
  std::optional<std::uint64_t> scm_fds;
};
std::optional<FdInfo> parse_fdinfo(const std::string& text);

// /proc/PID/stat: the task's flags (field 9, after the command in parentheses, which may itself hold spaces
// and parentheses); nullopt when malformed.
std::optional<unsigned long> parse_stat_flags(const std::string& text);
// A kernel thread (PF_KTHREAD): it pins nothing of users'. /proc/PID/stat is readable by anyone, so this
// tells kernel threads from processes a user may not look at.
bool is_kernel_thread(const std::string& proc_root, pid_t pid);

// One number exactly as the kernel prints it with %u: digits only, no sign, blank or leading zero, and no
// overflow; anything else is no number (a lenient read gives a wrong uid or device, not an error).
std::optional<std::uint32_t> parse_kernel_u32(std::string_view text);
std::optional<std::uint64_t> parse_kernel_u64(std::string_view text);  // the same, for %llu

// /proc/PID/status: the real uid ("Uid:" first field).
std::optional<uid_t> parse_status_uid(const std::string& text);

// /proc/PID/stat: the parent's pid (the field after the state; the command before it may hold ')' and
// spaces, so it is found from the last ')').
std::optional<pid_t> parse_stat_ppid(const std::string& text);

// /proc/PID/cgroup: the unified hierarchy path ("0::/system.slice/ssh.service"), else the first v1 path.
std::string parse_cgroup(const std::string& text);

// Mount table of one namespace, parsed by libmount from a mountinfo file. Keys are old ids.
Result<std::vector<Mount>> read_mountinfo(const std::string& path);

// Strips the trailing newline /proc adds to comm and similar one-line files.
std::string chomp(std::string text);

// /proc/PID/stat: the start time (field 22, clock ticks after boot), which tells a process from a later one
// that got its pid. The command (field 2) may hold ')' and spaces: the fields are counted from the last ')'.
std::optional<std::uint64_t> parse_stat_start_time(const std::string& text);

}  // namespace detach

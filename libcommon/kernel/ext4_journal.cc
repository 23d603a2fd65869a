// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/ext4_journal.h"

#include <algorithm>
#include <cerrno>

#include "kernel/procfs.h"

namespace detach {
namespace {

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A file that went away with its filesystem or thread is no loss; anything else is said.
void note_unless_gone(const Error& error, const std::string& path, std::vector<std::string>& unread) {
  if (error.err != ENOENT && error.err != ESRCH) unread.push_back(path + ": " + error.message());
}

}  // namespace

std::optional<std::string> external_journal_device(std::string_view thread_name, std::string_view fs_name) {
  constexpr std::string_view kPrefix = "jbd2/";
  if (!thread_name.starts_with(kPrefix)) return std::nullopt;
  std::string_view device = thread_name.substr(kPrefix.size());
  if (device.empty() || device.find('/') != std::string_view::npos) return std::nullopt;
  // The journal in an inode of the filesystem itself: "FS_NAME-INODE".
  if (device.size() > fs_name.size() + 1 && device.starts_with(fs_name) && device[fs_name.size()] == '-' &&
      all_digits(device.substr(fs_name.size() + 1)))
    return std::nullopt;
  if (device == fs_name) return std::nullopt;  // no device journals itself
  return std::string(device);
}

std::optional<int> parse_journal_task(std::string_view text) {
  if (text.ends_with('\n')) text.remove_suffix(1);
  std::optional<std::uint32_t> pid = parse_kernel_u32(text);
  if (!pid || *pid == 0 || *pid > static_cast<std::uint32_t>(INT32_MAX)) return std::nullopt;
  return static_cast<int>(*pid);
}

Ext4Journals read_ext4_external_journals(const std::string& sys_root, const std::string& proc_root,
                                         std::vector<std::string> fs_names) {
  Ext4Journals out;
  const std::string base = sys_root + "/fs/ext4";
  std::sort(fs_names.begin(), fs_names.end());
  for (const std::string& name : fs_names) {
    std::string task_path = base;
    task_path.append("/").append(name).append("/journal_task");
    Result<std::string> task = read_file(task_path);
    if (!task) {
      note_unless_gone(task.error(), task_path, out.unread);
      continue;
    }
    if (task->starts_with("<none>")) continue;  // no journal at all
    std::optional<int> pid = parse_journal_task(*task);
    if (!pid) {
      out.unread.push_back(task_path + ": no pid in it (the journal thread is outside this pid namespace)");
      continue;
    }
    const std::string comm_path = proc_root + "/" + std::to_string(*pid) + "/comm";
    Result<std::string> comm = read_file(comm_path);
    if (!comm) {
      note_unless_gone(comm.error(), comm_path, out.unread);
      continue;
    }
    if (std::optional<std::string> journal = external_journal_device(chomp(*comm), name))
      out.external.push_back(Ext4ExternalJournal{name, std::move(*journal)});
  }
  return out;
}

}  // namespace detach

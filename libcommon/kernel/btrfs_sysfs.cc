// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/btrfs_sysfs.h"

#include <algorithm>
#include <cerrno>

#include "base/result.h"
#include "kernel/procfs.h"

namespace detach {
namespace {

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// A device name as sysfs spells it: no path, nothing a link name cannot be.
bool is_device_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

}  // namespace

bool is_btrfs_fsid(std::string_view name) {
  constexpr std::size_t kLength = 36;
  if (name.size() != kLength) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_here ? name[i] != '-' : !is_lower_hex(name[i])) return false;
  }
  return true;
}

BtrfsFilesystems read_btrfs_filesystems(const std::string& sys_root) {
  BtrfsFilesystems out;
  const std::string base = sys_root + "/fs/btrfs";
  Result<UniqueFd> dir = open_dir(base);
  Result<std::vector<std::string>> names =
      dir ? list_entries_at(dir->get(), ".") : Result<std::vector<std::string>>(tl::unexpected(dir.error()));
  if (!names) {
    if (names.error().err != ENOENT) out.unread.push_back(base + ": " + names.error().message());
    return out;
  }
  std::sort(names->begin(), names->end());
  for (const std::string& name : *names) {
    if (!is_btrfs_fsid(name)) continue;
    std::string devices_dir = base;
    devices_dir.append("/").append(name).append("/devices");
    Result<UniqueFd> devices = open_dir(devices_dir);
    Result<std::vector<std::string>> members =
        devices ? list_entries_at(devices->get(), ".")
                : Result<std::vector<std::string>>(tl::unexpected(devices.error()));
    if (!members) {
      if (members.error().err != ENOENT) out.unread.push_back(devices_dir + ": " + members.error().message());
      continue;
    }
    BtrfsFilesystem fs{name, {}};
    for (std::string& member : *members)
      if (is_device_name(member)) fs.devices.push_back(std::move(member));
    std::sort(fs.devices.begin(), fs.devices.end());
    out.filesystems.push_back(std::move(fs));
  }
  return out;
}

}  // namespace detach

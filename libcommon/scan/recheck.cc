// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/recheck.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <string>

#include "base/unique_fd.h"
#include "kernel/procfs.h"
#include "kernel/statx.h"
#include "scan/pin_paths.h"

namespace detach {
namespace {

bool same_object(const MountRef& ref, const Pin& pin, bool unique) {
  if (ref.unique != unique || ref.mnt_id != pin.mount) return false;
  // A range stands for many files: its inode is the first one's only.
  return pin.fd_last > pin.fd || (ref.dev == pin.dev && ref.ino == pin.ino);
}

// An mmap has no link of its own: some mapping of the task must still be of that file.
bool still_maps(const std::string& dir, const Pin& pin, bool unique) {
  auto fd = open_dir(dir + "/map_files");
  if (!fd) return false;
  auto ranges = list_entries_at(fd->get(), ".");
  if (!ranges) return false;
  for (const std::string& range : *ranges)
    if (auto ref = mount_ref_at(fd->get(), range.c_str(), unique); ref && same_object(*ref, pin, unique))
      return true;
  return false;
}

}  // namespace

bool still_holds(const ScanOptions& options, IdKind ids, const Pin& pin) {
  if (!is_task_pin(pin.kind) || pin.pid <= 0) return false;
  const bool unique = ids == IdKind::Unique;
  if (pin.kind == PinKind::Mmap) return still_maps(task_dir(options.proc_root, pin), pin, unique);
  const std::string link = pin_link(options.proc_root, pin);
  if (link.empty()) return false;
  auto ref = mount_ref_at(AT_FDCWD, link.c_str(), unique);
  return ref && same_object(*ref, pin, unique);
}

Access fd_access_now(const ScanOptions& options, const Pin& pin) {
  if (pin.kind != PinKind::Fd) return Access::Unknown;
  const std::string link = task_dir(options.proc_root, pin) + "/fd/" + std::to_string(pin.fd);
  auto mode = link_mode_at(AT_FDCWD, link.c_str());
  if (!mode) return Access::Unknown;
  // The fd link's own mode bits carry its access mode (as the scan reads it).
  const bool r = *mode & S_IRUSR, w = *mode & S_IWUSR;
  return r && w ? Access::ReadWrite : w ? Access::Write : r ? Access::Read : Access::Unknown;
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/fs_end_wait.h"

#include <algorithm>

#include "kernel/procfs.h"
#include "kernel/statx.h"
#include "scan/fs_end.h"
#include "scan/pin_paths.h"

namespace detach {
namespace {

using Clock = std::chrono::steady_clock;

// How long a filesystem whose pins are all gone may take to let go of its device.
constexpr std::chrono::seconds kEndingLimit{2};

// The map_files entry of an mmap pin: the kernel names entries by address range, which the pin does not keep.
std::string mapped_file_path(const std::string& task, const Pin& pin) {
  std::string dir = task + "/map_files";
  Result<UniqueFd> fd = open_dir(dir);
  if (!fd) return {};
  Result<std::vector<std::string>> ranges = list_entries_at(fd->get(), ".");
  if (!ranges) return {};
  for (const std::string& range : *ranges) {
    Result<MountRef> ref = mount_ref_at(fd->get(), range.c_str(), true);
    if (ref && ref->mnt_id == pin.mount && ref->ino == pin.ino) return dir.append("/").append(range);
  }
  return {};
}

int path_rank(PinKind kind) {
  switch (kind) {
    case PinKind::Cwd:
    case PinKind::Root:
      return 0;
    case PinKind::Exe:
      return 1;
    case PinKind::Fd:
      return 2;
    default:
      return 3;
  }
}

}  // namespace

Result<FsEnd> wait_fs_end(const std::vector<std::string>& paths, const std::string& device,
                          Clock::time_point deadline) {
  Result<FsEndWatch> watch = FsEndWatch::create();
  if (!watch) return tl::unexpected<Error>(watch.error());
  // Every path leads to the one superblock: it has ended when any entry has; all of them lost (deleted files
  // freed) while it lives means it must be watched through other pins.
  for (const std::string& path : paths) (void)watch->add(path, device);
  // No watch: the pins are gone already, so the filesystem has ended or is ending (the device is let go of
  // a moment after the last pin): confirm briefly; still claimed after that, something else holds it.
  if (watch->size() == 0)
    return wait_device_free(device, std::min(deadline, Clock::now() + kEndingLimit)) ? FsEnd::Ended
                                                                                     : FsEnd::Unwatchable;
  Result<bool> done = watch->wait(deadline);
  if (!done) return tl::unexpected<Error>(done.error());
  if (!*done) return FsEnd::Alive;
  for (std::size_t i = 0; i < watch->size(); ++i)
    if (watch->state(i) == FsEndWatch::State::Ended) return FsEnd::Ended;
  return FsEnd::Unwatchable;
}

std::vector<std::string> pin_watch_paths(const Snapshot& snapshot, const std::vector<std::size_t>& pins,
                                         const std::string& proc_root, std::size_t max) {
  std::vector<const Pin*> ordered;
  for (std::size_t index : pins)
    if (index < snapshot.pins.size() && is_task_pin(snapshot.pins[index].kind))
      ordered.push_back(&snapshot.pins[index]);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Pin* a, const Pin* b) { return path_rank(a->kind) < path_rank(b->kind); });
  std::vector<std::string> out;
  for (const Pin* pin : ordered) {
    if (out.size() >= max) break;
    std::string path = pin_link(proc_root, *pin);
    if (path.empty()) path = mapped_file_path(task_dir(proc_root, *pin), *pin);
    if (!path.empty() && std::find(out.begin(), out.end(), path) == out.end()) out.push_back(std::move(path));
  }
  return out;
}

}  // namespace detach

#include "scan/fs_end_wait.h"

#include <fcntl.h>
#include <sys/inotify.h>

#include <algorithm>
#include <set>
#include <thread>

#include "kernel/block.h"
#include "kernel/procfs.h"
#include "kernel/statx.h"
#include "kernel/unmount_watch.h"

namespace detach {
namespace {

using Clock = std::chrono::steady_clock;

// The device is let go of right after the superblock ends (6.18: microseconds, seldom a millisecond): a few
// short retries, each twice as long as the one before, cover it without a poll loop of any length.
constexpr std::chrono::microseconds kFirstRetry{50};
constexpr std::chrono::microseconds kLongestRetry{2000};
// How long a filesystem whose pins are all gone may take to let go of its device.
constexpr std::chrono::seconds kEndingLimit{2};

// False only while the device is claimed: one we may not open cannot be confirmed, and the superblock's end
// is all there is to know.
bool device_free(const std::string& device) {
  if (device.empty()) return true;
  Result<bool> claimed = block_device_claimed(device);
  return !claimed || !*claimed;
}

FsEnd confirm_free(const std::string& device, Clock::time_point deadline) {
  for (auto pause = kFirstRetry; !device_free(device); pause = std::min(pause * 2, kLongestRetry)) {
    if (Clock::now() + pause > deadline) return FsEnd::Alive;
    std::this_thread::sleep_for(pause);
  }
  return FsEnd::Ended;
}

// The map_files entry of an mmap pin: the kernel names entries by address range, which the pin does not keep.
std::string mapped_file_path(const std::string& task_dir, const Pin& pin) {
  std::string dir = task_dir + "/map_files";
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
  Result<UnmountWatch> watch = UnmountWatch::open();
  if (!watch) return tl::unexpected<Error>(watch.error());
  std::set<int> live;
  for (const std::string& path : paths)
    if (Result<int> wd = watch->add(path)) live.insert(*wd);
  // No watch: the pins are gone already, so the filesystem has ended or is ending (the device is let go of
  // a moment after the last pin): confirm briefly; still claimed after that, something else holds it.
  if (live.empty()) {
    FsEnd end = confirm_free(device, std::min(deadline, Clock::now() + kEndingLimit));
    return end == FsEnd::Ended ? end : FsEnd::Unwatchable;
  }
  while (true) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return FsEnd::Alive;
    Result<std::vector<UnmountWatch::Event>> events = watch->read(left);
    if (!events) return tl::unexpected<Error>(events.error());
    bool unmounted = false;
    for (const UnmountWatch::Event& ev : *events) {
      // An overflowed queue may have lost the one event that matters: the device tells.
      if ((ev.mask & IN_UNMOUNT) || (ev.mask & IN_Q_OVERFLOW)) unmounted = true;
      if (ev.mask & IN_IGNORED) live.erase(ev.wd);
    }
    if (unmounted) {
      FsEnd end = confirm_free(device, deadline);
      if (end == FsEnd::Ended || live.empty()) return end;
    } else if (live.empty()) {
      return FsEnd::Unwatchable;
    }
  }
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
    std::string dir = proc_root + "/" + std::to_string(pin->pid);
    if (pin->tid != 0) dir += "/task/" + std::to_string(pin->tid);
    std::string path;
    switch (pin->kind) {
      case PinKind::Cwd:
        path = dir + "/cwd";
        break;
      case PinKind::Root:
        path = dir + "/root";
        break;
      case PinKind::Exe:
        path = dir + "/exe";
        break;
      case PinKind::Fd:
        path = dir + "/fd/" + std::to_string(pin->fd);
        break;
      default:
        path = mapped_file_path(dir, *pin);
        break;
    }
    if (!path.empty() && std::find(out.begin(), out.end(), path) == out.end()) out.push_back(std::move(path));
  }
  return out;
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/fs_end.h"

#include <fcntl.h>
#include <sys/inotify.h>

#include <algorithm>
#include <thread>

#include "kernel/block.h"

namespace detach {
namespace {

using Clock = std::chrono::steady_clock;

// The device is let go of right after the superblock ends (6.18: within microseconds to ~2 ms, once the fs
// has written its superblock back):
// short retries (50 us, doubling up to 250 us, so that the wait overshoots by a quarter millisecond at most)
// cover it; only this window is polled, never the pinners' lifetime.
constexpr std::chrono::microseconds kFirstRetry{50};
constexpr std::chrono::microseconds kLongestRetry{250};

// False only while the device is still claimed: a device we may not open (EACCES for a user) or that went
// away cannot be confirmed, and the superblock's end is all there is to know.
bool device_free(const std::string& device) {
  Result<bool> claimed = block_device_claimed(device);
  return !claimed || !*claimed;
}

std::chrono::milliseconds until(FsEndWatch::Deadline deadline) {
  if (!deadline) return std::chrono::milliseconds(-1);
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

}  // namespace

bool wait_device_free(const std::string& device, FsEndWatch::Deadline deadline) {
  for (auto pause = kFirstRetry; !device.empty() && !device_free(device);
       pause = std::min(pause * 2, kLongestRetry)) {
    if (deadline && Clock::now() + pause > *deadline) return false;
    std::this_thread::sleep_for(pause);
  }
  return true;
}

Result<FsEndWatch> FsEndWatch::create() {
  auto inotify = Inotify::open();
  if (!inotify) return tl::unexpected(inotify.error());
  return FsEndWatch(std::move(*inotify));
}

Result<std::size_t> FsEndWatch::add(const std::string& path, std::string device) {
  auto wd = inotify_.watch_unmount(AT_FDCWD, path.c_str());
  if (!wd) return tl::unexpected(wd.error());
  // inotify gives one wd per inode: two paths to one inode share it, and its events.
  entries_.push_back(Entry{*wd, std::move(device), State::Alive, false});
  return entries_.size() - 1;
}

bool FsEndWatch::done() const {
  return std::none_of(entries_.begin(), entries_.end(),
                      [](const Entry& e) { return e.state == State::Alive; });
}

Status FsEndWatch::advance(std::chrono::milliseconds timeout, Deadline deadline) {
  auto events = inotify_.read_events(timeout);
  if (!events) return tl::unexpected(events.error());
  for (const InotifyEvent& ev : *events) {
    for (Entry& e : entries_) {
      if (e.wd != ev.wd || e.state != State::Alive) continue;
      if (ev.mask & IN_UNMOUNT) e.unmounted = true;
      // IN_IGNORED alone: the inode was freed (a deleted file) while its filesystem goes on.
      if ((ev.mask & IN_IGNORED) && !e.unmounted) e.state = State::Lost;
    }
  }
  confirm_devices(deadline);
  return {};
}

void FsEndWatch::confirm_devices(Deadline deadline) {
  for (Entry& e : entries_) {
    if (e.state != State::Alive || !e.unmounted) continue;
    if (!wait_device_free(e.device, deadline)) return;
    e.state = State::Ended;
  }
}

Result<bool> FsEndWatch::wait(Deadline deadline) {
  if (auto st = update(); !st) return tl::unexpected(st.error());
  while (!done()) {
    if (deadline && Clock::now() >= *deadline) return false;
    // A superblock that ended with its device still claimed waits in confirm_devices, not in poll.
    bool device_pending = std::any_of(entries_.begin(), entries_.end(),
                                      [](const Entry& e) { return e.state == State::Alive && e.unmounted; });
    auto timeout = device_pending ? std::chrono::milliseconds(0) : until(deadline);
    if (auto st = advance(timeout, deadline); !st) return tl::unexpected(st.error());
  }
  return true;
}

}  // namespace detach

#include "kernel/unmount_watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace detach {

Result<UnmountWatch> UnmountWatch::open() {
  UniqueFd fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!fd) return fail_errno("inotify_init1");
  return UnmountWatch(std::move(fd));
}

Result<int> UnmountWatch::add(const std::string& path) {
  // IN_UNMOUNT is sent whatever the mask asks; asking for a rare event keeps everyday ones away.
  int wd = ::inotify_add_watch(fd_.get(), path.c_str(), IN_UNMOUNT | IN_DELETE_SELF);
  if (wd < 0) return fail_errno("inotify_add_watch", path);
  return wd;
}

Result<std::vector<UnmountWatch::Event>> UnmountWatch::read(std::chrono::milliseconds timeout) {
  std::vector<Event> events;
  pollfd pfd{fd_.get(), POLLIN, 0};
  int ready = ::poll(&pfd, 1, timeout.count() < 0 ? -1 : static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) return fail_errno("poll", "inotify");
  if (ready <= 0) return events;
  alignas(inotify_event) char buf[4096];
  while (true) {
    ssize_t n = ::read(fd_.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return events;
    if (n < 0) return fail_errno("read", "inotify");
    for (ssize_t at = 0; at + static_cast<ssize_t>(sizeof(inotify_event)) <= n;) {
      inotify_event ev;
      std::memcpy(&ev, buf + at, sizeof ev);
      events.push_back(Event{ev.wd, ev.mask});
      at += static_cast<ssize_t>(sizeof(inotify_event) + ev.len);
    }
  }
}

}  // namespace detach

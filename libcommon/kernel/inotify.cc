// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/inotify.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace detach {

Result<Inotify> Inotify::open() {
  int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (fd < 0) return fail_errno("inotify_init1");
  return Inotify(UniqueFd(fd));
}

Result<int> Inotify::watch_unmount(int dirfd, const char* path) {
  // inotify_add_watch takes no dirfd: a relative path goes through /proc/self/fd/DIRFD, which the kernel
  // resolves like openat would.
  std::string full = (dirfd == AT_FDCWD || path[0] == '/')
                         ? std::string(path)
                         : "/proc/self/fd/" + std::to_string(dirfd) + "/" + path;
  int wd = ::inotify_add_watch(fd_.get(), full.c_str(), IN_UNMOUNT);
  if (wd < 0) return fail_errno("inotify_add_watch", path);
  return wd;
}

Result<std::vector<InotifyEvent>> Inotify::read_events(std::chrono::milliseconds timeout) {
  std::vector<InotifyEvent> out;
  pollfd pfd{fd_.get(), POLLIN, 0};
  int ready = ::poll(&pfd, 1, timeout.count() < 0 ? -1 : static_cast<int>(timeout.count()));
  if (ready < 0) {
    if (errno == EINTR) return out;
    return fail_errno("poll", "inotify");
  }
  if (ready == 0) return out;
  alignas(inotify_event) char buf[4096];
  for (;;) {
    ssize_t len = ::read(fd_.get(), buf, sizeof buf);
    if (len < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      return fail_errno("read", "inotify");
    }
    if (len == 0) break;
    for (ssize_t at = 0; at + static_cast<ssize_t>(sizeof(inotify_event)) <= len;) {
      inotify_event ev;
      std::memcpy(&ev, buf + at, sizeof ev);
      out.push_back(InotifyEvent{ev.wd, ev.mask});
      at += static_cast<ssize_t>(sizeof(inotify_event) + ev.len);
    }
  }
  return out;
}

}  // namespace detach

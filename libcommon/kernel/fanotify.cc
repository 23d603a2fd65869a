#include "kernel/fanotify.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/fanotify.h>

#include <cerrno>

#include "kernel/uapi.h"

namespace detach {

Result<MountEventWatch> MountEventWatch::open() {
  int fd = ::fanotify_init(uapi::kFanReportMnt | FAN_CLOEXEC | FAN_NONBLOCK, 0);
  if (fd < 0) return fail_errno("fanotify_init", "FAN_REPORT_MNT");
  return MountEventWatch(UniqueFd(fd));
}

Status MountEventWatch::watch_namespace(int ns_fd) {
  if (::fanotify_mark(fd_.get(), FAN_MARK_ADD | uapi::kFanMarkMntns,
                      uapi::kFanMntAttach | uapi::kFanMntDetach, ns_fd, nullptr) != 0)
    return fail_errno("fanotify_mark", "FAN_MARK_MNTNS");
  return {};
}

Result<bool> MountEventWatch::wait(std::chrono::milliseconds timeout) {
  pollfd pfd{fd_.get(), POLLIN, 0};
  int ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (ready < 0) {
    if (errno == EINTR) return false;
    return fail_errno("poll", "fanotify");
  }
  bool changed = false;
  alignas(fanotify_event_metadata) char buf[8192];
  for (;;) {
    ssize_t len = ::read(fd_.get(), buf, sizeof buf);
    if (len < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      return fail_errno("read", "fanotify");
    }
    if (len == 0) break;
    auto* meta = reinterpret_cast<const fanotify_event_metadata*>(buf);
    if (meta->vers != FANOTIFY_METADATA_VERSION) return fail(EPROTO, "fanotify", {}, "unknown event version");
    changed = true;
  }
  return changed;
}

}  // namespace detach

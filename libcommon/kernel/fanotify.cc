#include "kernel/fanotify.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/fanotify.h>

#include <cerrno>
#include <cstring>

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

namespace {

// Parses one read() worth of events: metadata, then info records; the mount id is in the mount record.
Result<std::vector<MountChange>> parse_events(const char* buf, ssize_t len) {
  std::vector<MountChange> out;
  auto* meta = reinterpret_cast<const fanotify_event_metadata*>(buf);
  for (; FAN_EVENT_OK(meta, len); meta = FAN_EVENT_NEXT(meta, len)) {
    if (meta->vers != FANOTIFY_METADATA_VERSION) return fail(EPROTO, "fanotify", {}, "unknown event version");
    if (meta->mask & FAN_Q_OVERFLOW) return fail(EOVERFLOW, "fanotify", {}, "event queue overflowed");
    const char* info = reinterpret_cast<const char*>(meta) + meta->metadata_len;
    const char* end = reinterpret_cast<const char*>(meta) + meta->event_len;
    if (end - info < static_cast<std::ptrdiff_t>(sizeof(uapi::FanotifyEventInfoMnt))) continue;
    uapi::FanotifyEventInfoMnt record;
    std::memcpy(&record, info, sizeof record);
    MountChange change;
    change.mnt_id = record.mnt_id;
    change.attached = meta->mask & uapi::kFanMntAttach;
    change.detached = meta->mask & uapi::kFanMntDetach;
    out.push_back(change);
  }
  return out;
}

}  // namespace

Result<std::vector<MountChange>> MountEventWatch::wait(std::chrono::milliseconds timeout) {
  pollfd pfd{fd_.get(), POLLIN, 0};
  int ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (ready < 0) {
    if (errno == EINTR) return std::vector<MountChange>{};
    return fail_errno("poll", "fanotify");
  }
  std::vector<MountChange> out;
  alignas(fanotify_event_metadata) char buf[8192];
  for (;;) {
    ssize_t len = ::read(fd_.get(), buf, sizeof buf);
    if (len < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      return fail_errno("read", "fanotify");
    }
    if (len == 0) break;
    auto parsed = parse_events(buf, len);
    if (!parsed) return tl::unexpected(parsed.error());
    out.insert(out.end(), parsed->begin(), parsed->end());
  }
  return out;
}

}  // namespace detach

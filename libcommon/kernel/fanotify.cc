// SPDX-License-Identifier: GPL-2.0-or-later
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

// The mount id record an FAN_REPORT_MNT event carries (include/uapi/linux/fanotify.h, 6.15).
constexpr unsigned char kInfoTypeMnt = 7;
struct InfoMnt {
  fanotify_event_info_header hdr;
  std::uint64_t mnt_id;
};

// Adds to EVENTS the ids of the attach and detach events in one read's worth of records.
Status parse_events(const char* buf, std::size_t len, MountEventWatch::Events& events) {
  for (std::size_t at = 0; at + sizeof(fanotify_event_metadata) <= len;) {
    fanotify_event_metadata meta;
    std::memcpy(&meta, buf + at, sizeof meta);
    if (meta.vers != FANOTIFY_METADATA_VERSION) return fail(EPROTO, "fanotify", {}, "unknown event version");
    if (meta.event_len < sizeof meta || at + meta.event_len > len) break;
    events.any = true;
    for (std::size_t info = at + meta.metadata_len; info + sizeof(InfoMnt) <= at + meta.event_len;) {
      InfoMnt rec;
      std::memcpy(&rec, buf + info, sizeof rec);
      if (rec.hdr.len < sizeof rec.hdr) break;
      if (rec.hdr.info_type == kInfoTypeMnt && (meta.mask & uapi::kFanMntAttach))
        events.attached.push_back(rec.mnt_id);
      if (rec.hdr.info_type == kInfoTypeMnt && (meta.mask & uapi::kFanMntDetach))
        events.detached.push_back(rec.mnt_id);
      info += rec.hdr.len;
    }
    at += meta.event_len;
  }
  return {};
}

}  // namespace

Result<MountEventWatch::Events> MountEventWatch::wait(std::chrono::milliseconds timeout) {
  Events events;
  pollfd pfd{fd_.get(), POLLIN, 0};
  int ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (ready < 0) {
    if (errno == EINTR) return events;
    return fail_errno("poll", "fanotify");
  }
  alignas(fanotify_event_metadata) char buf[8192];
  for (;;) {
    ssize_t len = ::read(fd_.get(), buf, sizeof buf);
    if (len < 0) {
      if (errno == EAGAIN || errno == EINTR) break;
      return fail_errno("read", "fanotify");
    }
    if (len == 0) break;
    if (Status parsed = parse_events(buf, static_cast<std::size_t>(len), events); !parsed)
      return tl::unexpected(parsed.error());
  }
  return events;
}

}  // namespace detach

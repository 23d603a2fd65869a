// fanotify mount events: the kernel tells when a mount is attached or detached, by unique id (Linux 6.15+).
#pragma once

#include <chrono>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

class MountEventWatch {
 public:
  // EINVAL from fanotify_init means the kernel predates FAN_REPORT_MNT.
  static Result<MountEventWatch> open();

  // Watches one more mount namespace (an nsfs fd). The mark lives on in the group; NS_FD may be closed after.
  Status watch_namespace(int ns_fd);

  // Waits up to TIMEOUT for events and drains them: true when any came. Callers look at the mounts again
  // rather than at the events, so an overflowed queue is just a change.
  Result<bool> wait(std::chrono::milliseconds timeout);

 private:
  explicit MountEventWatch(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace detach

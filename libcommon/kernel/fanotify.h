// SPDX-License-Identifier: GPL-2.0-or-later
// fanotify mount events: the kernel tells when a mount is attached or detached, by unique id (Linux 6.15+).
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

class MountEventWatch {
 public:
  // EINVAL from fanotify_init means the kernel predates FAN_REPORT_MNT.
  static Result<MountEventWatch> open();

  // Watches one more mount namespace (an nsfs fd). The mark lives on in the group; NS_FD may be closed after.
  Status watch_namespace(int ns_fd);

  // What came in one wait: whether anything did (an overflowed queue counts: callers look at the mounts again
  // rather than trust the events), and the unique ids of mounts attached, so that a caller can ask about
  // them at once, while they are still attached (a mount may be detached right after), and of mounts
  // detached.
  struct Events {
    bool any = false;
    std::vector<std::uint64_t> attached;
    std::vector<std::uint64_t> detached;
  };

  // Waits up to TIMEOUT for events and drains them.
  Result<Events> wait(std::chrono::milliseconds timeout);

 private:
  explicit MountEventWatch(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace detach

// inotify for one event: IN_UNMOUNT, which comes to every watch on an inode of a filesystem when its
// superblock is shut down (not at a lazy umount). A watch holds no mount reference: it keeps nothing busy.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

class UnmountWatch {
 public:
  struct Event {
    int wd = -1;
    std::uint32_t mask = 0;  // IN_UNMOUNT, IN_IGNORED (the watch is gone), IN_Q_OVERFLOW (wd -1)
  };

  static Result<UnmountWatch> open();

  // Watches the inode PATH leads to (magic links such as /proc/PID/cwd are followed): its watch descriptor.
  Result<int> add(const std::string& path);

  // Waits up to TIMEOUT (negative: no limit) and returns every event that came; none on timeout or EINTR.
  Result<std::vector<Event>> read(std::chrono::milliseconds timeout);

 private:
  explicit UnmountWatch(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace detach

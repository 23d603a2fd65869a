// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/stdout.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace detach {

bool stdout_flushed() {
  errno = 0;
  if (std::ferror(stdout) == 0 && std::fflush(stdout) == 0) {
    int fd = ::dup(fileno(stdout));
    if (fd >= 0 && ::close(fd) == 0) return true;
  }
  return errno == EBADF;
}

}  // namespace detach

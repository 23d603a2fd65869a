// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/closestream.h"

#include <unistd.h>

#include <cerrno>

#include "base/stdout.h"
#include "cli/diag.h"

namespace cli {

int finish(int code, int fail_code) {
  if (!detach::stdout_flushed() && errno != EPIPE) {
    if (errno)
      warn("write error", errno);
    else
      warnx("write error");
    _exit(fail_code);
  }
  return code;
}

}  // namespace cli

// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/closestream.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <string>

#include "base/stdout.h"
#include "cli/diag.h"
#include "cli/i18n.h"

namespace cli {

int finish(int code, int fail_code) {
  if (!detach::stdout_flushed() && errno != EPIPE) {
    if (errno)
      warn(shared("write error"), errno);
    else
      warnx(shared("write error"));
    _exit(fail_code);
  }
  return code;
}

void print_help(const std::string& text, std::size_t extra) {
  // glibc buffers a stream in st_blksize bytes (BUFSIZ when it says 0).
  static std::array<char, 1 << 16> buffer;
  struct stat st {};
  std::size_t size = ::fstat(STDOUT_FILENO, &st) == 0 && st.st_blksize > 0 ? st.st_blksize : BUFSIZ;
  size = std::min(size + extra, buffer.size());
  std::setvbuf(stdout, buffer.data(), _IOFBF, size);
  std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace cli

// SPDX-License-Identifier: GPL-2.0-or-later
#include "ask.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "base/unique_fd.h"

namespace detach::guard {

Answer ask_on_terminal(const std::string& question) {
  UniqueFd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
  if (!tty) return Answer::NoTerminal;
  std::string prompt = question + " [y/N] ";
  if (::write(tty.get(), prompt.data(), prompt.size()) != static_cast<ssize_t>(prompt.size()))
    return Answer::NoTerminal;
  std::string line;
  char c = 0;
  while (line.size() < 64) {
    ssize_t n = ::read(tty.get(), &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    line += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  line.erase(std::remove_if(line.begin(), line.end(), [](unsigned char ch) { return std::isspace(ch); }),
             line.end());
  // y, yes, or the locale's own yes (rpmatch: "是", "はい").
  return line == "y" || line == "yes" || ::rpmatch(line.c_str()) == 1 ? Answer::Yes : Answer::No;
}

}  // namespace detach::guard

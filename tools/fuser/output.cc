// SPDX-License-Identifier: GPL-2.0-or-later
#include "output.h"

#include <cstdio>

namespace fuser {

void StdOutput::out(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void StdOutput::err(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace fuser

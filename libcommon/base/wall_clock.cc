// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/wall_clock.h"

#include <chrono>

namespace detach {

long long now_seconds() {
  using std::chrono::system_clock;
  return std::chrono::duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace detach

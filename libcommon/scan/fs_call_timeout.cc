// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/fs_call_timeout.h"

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace detach {

std::chrono::milliseconds fs_call_timeout_from_environment() {
  const char* value = std::getenv("DETACH_FS_TIMEOUT_MS");
  if (value == nullptr) return kDefaultFsCallTimeout;
  const std::string_view v = value;
  long long ms = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), ms);
  if (ec != std::errc() || end != v.data() + v.size() || ms < 1 || ms > kMaxFsCallTimeout.count())
    return kDefaultFsCallTimeout;
  return std::chrono::milliseconds(ms);
}

}  // namespace detach

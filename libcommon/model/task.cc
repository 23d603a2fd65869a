// SPDX-License-Identifier: GPL-2.0-or-later
#include "model/task.h"

#include <string_view>

namespace detach {

namespace {
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

std::string unit_from_cgroup(const std::string& cgroup_path) {
  // The innermost .service or .scope names what started the task; a bare .slice only says where it lives.
  std::string_view path = cgroup_path;
  std::string_view best_slice;
  while (!path.empty()) {
    auto slash = path.rfind('/');
    std::string_view part = slash == std::string_view::npos ? path : path.substr(slash + 1);
    if (ends_with(part, ".service") || ends_with(part, ".scope")) return std::string(part);
    if (best_slice.empty() && ends_with(part, ".slice")) best_slice = part;
    if (slash == std::string_view::npos) break;
    path = path.substr(0, slash);
  }
  return std::string(best_slice);
}

}  // namespace detach

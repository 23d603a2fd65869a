// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/environment.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace cli {
namespace {

// util-linux 2.38 lib/env.c: prefixes removed outright, and prefixes removed when the value holds a '/'.
constexpr std::array<std::string_view, 12> kForbidden{
    "BASH_ENV=", "ENV=",  "HOME=",    "IFS=",  "KRB_CONF=", "LD_",
    "LIBPATH=",  "MAIL=", "NLSPATH=", "PATH=", "SHELL=",    "SHLIB_PATH="};
constexpr std::array<std::string_view, 3> kNoSlash{"LANG=", "LANGUAGE=", "LC_"};

bool starts_with_any(std::string_view entry, const auto& prefixes) {
  for (std::string_view prefix : prefixes)
    if (entry.starts_with(prefix)) return true;
  return false;
}

}  // namespace

RemovedEnvironment sanitize_environment() {
  RemovedEnvironment removed;
  std::vector<std::string> names;
  for (char** env = environ; env != nullptr && *env != nullptr; ++env) {
    std::string_view entry(*env);
    bool bad = starts_with_any(entry, kForbidden) ||
               (starts_with_any(entry, kNoSlash) && entry.find('/') != std::string_view::npos);
    if (!bad) continue;
    removed.entries_.emplace_back(entry);
    names.emplace_back(entry.substr(0, entry.find('=')));
  }
  for (const std::string& name : names) ::unsetenv(name.c_str());
  return removed;
}

void RemovedEnvironment::restore() {
  // util-linux keeps its list newest first and sets it in that order without overwriting: the last of
  // repeated entries wins. Walking ours backwards does the same.
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    std::size_t eq = it->find('=');
    if (eq == std::string::npos) continue;
    ::setenv(it->substr(0, eq).c_str(), it->c_str() + eq + 1, 0);
  }
  entries_.clear();
}

}  // namespace cli

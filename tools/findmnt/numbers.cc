// SPDX-License-Identifier: GPL-2.0-or-later
#include "numbers.h"

#include <cerrno>
#include <cinttypes>
#include <cstdlib>

namespace findmnt {

detach::Result<std::uint64_t> parse_u64(const std::string& text) {
  const char* s = text.c_str();
  if (!*s) return detach::fail(EINVAL, "parse", text);
  // As util-linux's ul_strtou64: out of range only when it reads as a negative number ("-5"); "--" or "-x"
  // is no number at all.
  char* end = nullptr;
  if (std::strtoimax(s, &end, 10) < 0) return detach::fail(ERANGE, "parse", text);
  errno = 0;
  std::uintmax_t value = std::strtoumax(s, &end, 10);
  if (errno) return detach::fail(errno, "parse", text);
  if (end == s || *end) return detach::fail(EINVAL, "parse", text);
  return static_cast<std::uint64_t>(value);
}

detach::Result<std::uint32_t> parse_u32(const std::string& text) {
  auto value = parse_u64(text);
  if (!value) return tl::unexpected(value.error());
  if (*value > UINT32_MAX) return detach::fail(ERANGE, "parse", text);
  return static_cast<std::uint32_t>(*value);
}

detach::Result<std::int32_t> parse_s32(const std::string& text) {
  const char* s = text.c_str();
  if (!*s) return detach::fail(EINVAL, "parse", text);
  errno = 0;
  char* end = nullptr;
  std::intmax_t value = std::strtoimax(s, &end, 10);
  if (errno) return detach::fail(errno, "parse", text);
  if (end == s || *end) return detach::fail(EINVAL, "parse", text);
  if (value < INT32_MIN || value > INT32_MAX) return detach::fail(ERANGE, "parse", text);
  return static_cast<std::int32_t>(value);
}

}  // namespace findmnt

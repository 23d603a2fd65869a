// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/PID/status (kernel/procfs parse_status_uid). Any bytes: no crash, and a uid only when the first
// "Uid:" line's first field is that very number in decimal (a wrapped or half-read number would name another
// user). Structured: a status file as the kernel writes it gives its real uid back.
#include <charconv>

#include "fuzz_check.h"
#include "kernel/procfs.h"

namespace {

// The first field of the first line that starts with "Uid:", as util-linux and procps read it.
std::optional<std::string> uid_field(const std::string& text) {
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    if (line.rfind("Uid:", 0) == 0) {
      std::size_t b = line.find_first_not_of(" \t", 4);
      if (b == std::string::npos) return std::string();
      return line.substr(b, line.find_first_of(" \t", b) - b);
    }
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  if (auto uid = detach::parse_status_uid(text)) {
    auto field = uid_field(text);
    FUZZ_CHECK(field.has_value());
    FUZZ_CHECK(*field == std::to_string(*uid));
  }

  fuzz::Bytes in(data, size);
  auto uid = in.take<std::uint32_t>();
  if (uid == 0xffffffffu) uid = 65534;  // (uid_t)-1 is no uid; the kernel prints the overflow uid
  std::string name = in.take_short_string();
  for (char& c : name)
    if (c == '\n') c = ' ';
  std::string status = "Name:\t" + name + "\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1\nPid:\t1\n" +
                       "Uid:\t" + std::to_string(uid) + "\t0\t0\t0\nGid:\t0\t0\t0\t0\n" + in.rest();
  auto parsed = detach::parse_status_uid(status);
  FUZZ_CHECK(parsed.has_value());
  FUZZ_CHECK(*parsed == uid);
  return 0;
}

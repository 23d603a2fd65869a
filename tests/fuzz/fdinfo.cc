// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/PID/fdinfo/N (kernel/procfs parse_fdinfo). Any bytes: no crash. Properties: the three fields the
// kernel prints come back whatever other lines (epoll, inotify, eventfd, garbage) surround them.
#include <cctype>
#include <sstream>

#include "fuzz_check.h"
#include "kernel/procfs.h"

namespace {

std::string first_token(const std::string& line) {
  std::istringstream in(line);
  std::string token;
  in >> token;
  return token;
}

// The fuzzer's noise as whole lines, minus those that would set one of our three fields.
std::string noise_lines(const std::string& noise) {
  std::string out;
  std::istringstream in(noise);
  for (std::string line; std::getline(in, line);) {
    std::string key = first_token(line);
    if (key == "mnt_id:" || key == "flags:" || key == "ino:") continue;
    // A line of blanks only would let the reader go on into our next line for its key: that is fine, but a
    // key token cut by the end of the noise would glue onto ours, so each noise line ends here.
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)detach::parse_fdinfo(fuzz::as_string(data, size));

  fuzz::Bytes in(data, size);
  auto mnt_id = in.take<std::uint32_t>();
  auto flags = in.take<std::uint32_t>() & 037777777;  // f_flags: the kernel prints 0%o of an unsigned int
  auto ino = in.take<std::uint64_t>();
  std::string before = noise_lines(in.take_short_string());
  std::string after = noise_lines(in.rest());
  char fields[128];
  std::snprintf(fields, sizeof fields, "pos:\t0\nflags:\t0%o\nmnt_id:\t%u\nino:\t%llu\n", flags, mnt_id,
                static_cast<unsigned long long>(ino));
  auto info = detach::parse_fdinfo(before + fields + after);
  FUZZ_CHECK(info.has_value());
  FUZZ_CHECK(info->mnt_id == mnt_id);
  FUZZ_CHECK(info->flags == static_cast<int>(flags));
  FUZZ_CHECK(info->ino == ino);
  return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
// The nsfs link text of /proc/PID/ns/mnt (kernel/nsfs parse_mnt_ns_link). Properties: a nonzero inode only
// from "mnt:[DIGITS]" whose digits are that inode; every inode the kernel can print parses back.
#include <charconv>

#include "fuzz_check.h"
#include "kernel/nsfs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  if (std::uint64_t inode = detach::parse_mnt_ns_link(text); inode != 0) {
    FUZZ_CHECK(text.rfind("mnt:[", 0) == 0 && text.back() == ']');
    std::string digits = text.substr(5, text.size() - 6);
    FUZZ_CHECK(!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos);
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    FUZZ_CHECK(ec == std::errc() && value == inode);
  }

  fuzz::Bytes in(data, size);
  auto inode = in.take<std::uint64_t>();
  if (inode != 0) FUZZ_CHECK(detach::parse_mnt_ns_link("mnt:[" + std::to_string(inode) + "]") == inode);
  return 0;
}

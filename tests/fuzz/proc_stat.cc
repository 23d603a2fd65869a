// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/PID/stat (kernel/procfs parse_stat_flags): the flags field after a command that may hold spaces,
// parentheses and newlines. Structured: any comm and any flags, laid out as the kernel does, give the flags
// back.
#include "fuzz_check.h"
#include "kernel/procfs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)detach::parse_stat_flags(fuzz::as_string(data, size));

  fuzz::Bytes in(data, size);
  auto flags = in.take<std::uint32_t>();  // task->flags is an unsigned int, printed %u
  std::string comm = in.take_string(64);  // 15 bytes from the kernel; longer here to stress the ')' search
  std::string tail = in.rest();           // the kernel prints only numbers after the command: no ')'
  for (char& c : tail)
    if (c == ')') c = ' ';
  std::string stat = "4242 (" + comm + ") S 1 4242 4242 0 -1 " + std::to_string(flags) +
                     " 120 0 0 0 0 0 0 0 20 0 1 0 1234 5678 90 " + tail;
  auto parsed = detach::parse_stat_flags(stat);
  FUZZ_CHECK(parsed.has_value());
  FUZZ_CHECK(*parsed == flags);
  return 0;
}

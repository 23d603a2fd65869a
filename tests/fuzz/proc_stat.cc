// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/PID/stat (kernel/procfs parse_stat_flags, parse_stat_ppid, parse_stat_start_time): fields after a
// command that may hold spaces, parentheses and newlines. Raw: a ppid or start time only from a field that
// prints back the same (the kernel's %d and %llu: no sign, blank, leading zero or overflow; a ppid that fits
// a pid). Structured: any comm, flags, ppid and start time, laid out as the kernel does, give them back.
#include <climits>
#include <sstream>

#include "fuzz_check.h"
#include "kernel/procfs.h"

namespace {

// The whitespace-separated field N (1-based) after the last ')', as the kernel wrote it.
std::string field_after_comm(const std::string& stat, int n) {
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int i = 0; i < n && fields >> field; ++i) {
  }
  return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw = fuzz::as_string(data, size);
  (void)detach::parse_stat_flags(raw);
  if (std::optional<pid_t> ppid = detach::parse_stat_ppid(raw))
    FUZZ_CHECK(*ppid >= 0 && std::to_string(*ppid) == field_after_comm(raw, 2));
  if (std::optional<std::uint64_t> start = detach::parse_stat_start_time(raw))
    FUZZ_CHECK(std::to_string(*start) == field_after_comm(raw, 20));

  fuzz::Bytes in(data, size);
  auto flags = in.take<std::uint32_t>();  // task->flags is an unsigned int, printed %u
  auto ppid = static_cast<pid_t>(in.take<std::uint32_t>() & INT_MAX);
  auto start = in.take<std::uint64_t>();
  std::string comm = in.take_string(64);  // 15 bytes from the kernel; longer here to stress the ')' search
  std::string tail = in.rest();           // the kernel prints only numbers after the command: no ')'
  for (char& c : tail)
    if (c == ')') c = ' ';
  std::string stat = "4242 (" + comm + ") S " + std::to_string(ppid) + " 4242 4242 0 -1 " +
                     std::to_string(flags) + " 120 0 0 0 0 0 0 0 20 0 1 0 " + std::to_string(start) +
                     " 5678 90 " + tail;
  auto parsed = detach::parse_stat_flags(stat);
  FUZZ_CHECK(parsed.has_value());
  FUZZ_CHECK(*parsed == flags);
  FUZZ_CHECK(detach::parse_stat_ppid(stat) == ppid);
  FUZZ_CHECK(detach::parse_stat_start_time(stat) == start);
  return 0;
}

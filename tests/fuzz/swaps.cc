// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/swaps (kernel/swaps parse_swaps, unescape_octal). Any bytes: no crash. Properties: a path escaped as
// the kernel escapes it (seq_file_path with " \t\n\\") unescapes to itself; a table laid out as the kernel
// prints it gives back every path and type, whatever bytes the paths hold.
#include <vector>

#include "fuzz_check.h"
#include "kernel/swaps.h"

namespace {

// mm/swapfile.c swap_show(): the path padded to 40 columns, then the type and numbers, tab-separated.
std::string swap_line(const std::string& escaped, bool is_file, unsigned size_kib) {
  std::string line = escaped;
  line.append(escaped.size() < 40 ? 40 - escaped.size() : 1, ' ');
  line += is_file ? "file\t\t" : "partition\t";
  line += std::to_string(size_kib) + "\t\t0\t\t-2\n";
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  for (const detach::SwapArea& area : detach::parse_swaps(text)) FUZZ_CHECK(!area.path.empty());
  FUZZ_CHECK(detach::unescape_octal(fuzz::kernel_escape(text)) == text);

  fuzz::Bytes in(data, size);
  std::string table = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
  std::vector<std::pair<std::string, bool>> expected;
  while (!in.empty() && expected.size() < 16) {
    auto kind = in.take<std::uint8_t>();
    std::string path = in.take_string(kind >> 1);
    for (char& c : path)
      if (c == '\0') c = '0';  // a kernel path holds no NUL
    if (path.empty()) continue;
    table += swap_line(fuzz::kernel_escape(path), kind & 1, 65536);
    expected.emplace_back(path, kind & 1);
  }
  std::vector<detach::SwapArea> areas = detach::parse_swaps(table);
  FUZZ_CHECK(areas.size() == expected.size());
  for (std::size_t i = 0; i < areas.size(); ++i) {
    FUZZ_CHECK(areas[i].path == expected[i].first);
    FUZZ_CHECK(areas[i].is_file == expected[i].second);
  }
  return 0;
}

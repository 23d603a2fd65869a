// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/io_uring.h"

#include <string_view>

#include "kernel/procfs.h"
#include "kernel/swaps.h"

namespace detach {
namespace {

// "  12: /path" -> slot 12 and "/path"; false for any other line.
bool parse_slot_line(std::string_view line, RingFile& out) {
  std::size_t at = line.find_first_not_of(' ');
  if (at == std::string_view::npos) return false;
  std::size_t colon = line.find(':', at);
  if (colon == std::string_view::npos || colon + 1 >= line.size() || line[colon + 1] != ' ') return false;
  auto slot = parse_kernel_u32(line.substr(at, colon - at));
  if (!slot) return false;
  out.slot = *slot;
  out.path = unescape_octal(std::string(line.substr(colon + 2)));
  return true;
}

}  // namespace

RingFiles parse_ring_files(const std::string& fdinfo) {
  RingFiles out;
  std::string_view text = fdinfo;
  bool in_files = false;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.starts_with("UserFiles:")) {
      std::string_view value = line.substr(10);
      value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
      auto count = parse_kernel_u64(value);
      out.is_ring = true;
      out.count = count.value_or(0);
      in_files = count.has_value();
      continue;
    }
    if (!in_files) continue;
    RingFile file;
    // The slot lines end at the next "Key:" line (UserBufs); a line that fits neither was cut short.
    if (!parse_slot_line(line, file)) {
      in_files = false;
      continue;
    }
    out.files.push_back(std::move(file));
  }
  return out;
}

}  // namespace detach

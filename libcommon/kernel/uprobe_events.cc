// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/uprobe_events.h"

#include <cstdio>

namespace detach {
namespace {

std::optional<std::uint64_t> parse_hex(std::string_view s) {
  if (s.empty() || s.size() > 16) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<std::uint64_t>(d);
  }
  return v;
}

// "PATH:0xOFFSET[(0xREF)]": the path ends at the last ':' (the kernel splits it there too).
bool parse_location(std::string_view token, UprobeEvent& e) {
  std::size_t colon = token.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view where = token.substr(colon + 1);
  if (!where.starts_with("0x")) return false;
  where.remove_prefix(2);
  std::size_t paren = where.find('(');
  auto offset = parse_hex(where.substr(0, paren));
  if (!offset) return false;
  if (paren != std::string_view::npos) {
    std::string_view ref = where.substr(paren);
    if (!ref.starts_with("(0x") || !ref.ends_with(")")) return false;
    auto value = parse_hex(ref.substr(3, ref.size() - 4));
    if (!value) return false;
    e.ref_ctr_offset = *value;
  }
  e.path = std::string(token.substr(0, colon));
  e.offset = *offset;
  return e.path.find('\0') == std::string::npos;
}

std::optional<UprobeEvent> parse_line(std::string_view line) {
  UprobeEvent e;
  if (line.size() < 2 || (line[0] != 'p' && line[0] != 'r') || line[1] != ':') return std::nullopt;
  e.is_return = line[0] == 'r';
  line.remove_prefix(2);
  std::size_t blank = line.find(' ');
  if (blank == std::string_view::npos) return std::nullopt;
  std::string_view name = line.substr(0, blank);
  std::size_t slash = name.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == name.size()) return std::nullopt;
  e.group = std::string(name.substr(0, slash));
  e.event = std::string(name.substr(slash + 1));
  line.remove_prefix(blank + 1);
  blank = line.find(' ');
  if (!parse_location(line.substr(0, blank), e)) return std::nullopt;
  if (blank != std::string_view::npos) e.args = std::string(line.substr(blank + 1));
  return e;
}

}  // namespace

std::string UprobeEvent::definition() const {
  char where[64];
  std::snprintf(where, sizeof where, ":0x%llx", static_cast<unsigned long long>(offset));
  std::string out = std::string(is_return ? "r:" : "p:") + name() + " " + path + where;
  if (ref_ctr_offset) {
    std::snprintf(where, sizeof where, "(0x%llx)", static_cast<unsigned long long>(*ref_ctr_offset));
    out += where;
  }
  return out;
}

std::vector<UprobeEvent> parse_uprobe_events(std::string_view text, std::size_t* skipped) {
  std::vector<UprobeEvent> out;
  std::size_t bad = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    // Only a line the kernel ended is whole: the last one of a text cut short is not.
    if (end == std::string_view::npos) {
      ++bad;
      break;
    }
    if (auto e = parse_line(line)) {
      out.push_back(std::move(*e));
    } else {
      ++bad;
    }
  }
  if (skipped != nullptr) *skipped = bad;
  return out;
}

}  // namespace detach

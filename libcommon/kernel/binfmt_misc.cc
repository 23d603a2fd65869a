// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/binfmt_misc.h"

#include <cerrno>

#include "kernel/procfs.h"

namespace detach {
namespace {

// The kernel's entry_status() (fs/binfmt_misc.c), which this reads back:
//   "enabled\ninterpreter %s\nflags: [P][O][C][F]\n" then "extension .%s\n", or "offset %i\nmagic HEX" with
//   "\nmask HEX" when it has a mask, and "\n".
constexpr std::string_view kInterpreter = "interpreter ";
constexpr std::string_view kFlags = "\nflags: ";
constexpr std::string_view kFlagOrder = "POCF";

bool is_lower_hex(std::string_view s) {
  if (s.size() % 2 != 0) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// "%i" of an int: an optional minus, digits, no leading zero, in range.
std::optional<int> parse_int(std::string_view s) {
  bool negative = !s.empty() && s[0] == '-';
  std::string_view digits = negative ? s.substr(1) : s;
  auto value = parse_kernel_u32(digits);
  if (!value) return std::nullopt;
  long long v = negative ? -static_cast<long long>(*value) : static_cast<long long>(*value);
  if (negative && *value == 0) return std::nullopt;  // "-0" is no %i output
  if (v < -2147483648LL || v > 2147483647LL) return std::nullopt;
  return static_cast<int>(v);
}

// The flag letters at the front of S up to its newline, when they are a subsequence of "POCF"; their count
// in USED.
std::optional<std::string> parse_flags(std::string_view s, std::size_t& used) {
  std::size_t end = s.find('\n');
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view letters = s.substr(0, end);
  std::size_t at = 0;
  for (char c : letters) {
    std::size_t pos = kFlagOrder.find(c, at);
    if (pos == std::string_view::npos) return std::nullopt;
    at = pos + 1;
  }
  used = end + 1;
  return std::string(letters);
}

// The tail after the flags line, into E: the whole of TAIL must be one of the two forms.
bool parse_tail(std::string_view tail, BinfmtEntry& e) {
  if (tail.empty() || tail.back() != '\n') return false;
  tail.remove_suffix(1);
  if (tail.starts_with("extension .")) {
    std::string_view ext = tail.substr(11);
    if (ext.find('\0') != std::string_view::npos) return false;
    e.extension = std::string(ext);
    return true;
  }
  if (!tail.starts_with("offset ")) return false;
  tail.remove_prefix(7);
  std::size_t nl = tail.find('\n');
  if (nl == std::string_view::npos) return false;
  auto offset = parse_int(tail.substr(0, nl));
  if (!offset) return false;
  tail.remove_prefix(nl + 1);
  if (!tail.starts_with("magic ")) return false;
  tail.remove_prefix(6);
  std::string_view magic = tail, mask;
  if (std::size_t m = tail.find("\nmask "); m != std::string_view::npos) {
    magic = tail.substr(0, m);
    mask = tail.substr(m + 6);
    if (mask.size() != magic.size() || !is_lower_hex(mask)) return false;
  }
  if (!is_lower_hex(magic)) return false;
  e.offset = *offset;
  e.magic = std::string(magic);
  e.mask = std::string(mask);
  return true;
}

}  // namespace

std::optional<BinfmtEntry> parse_binfmt_entry(std::string_view text) {
  BinfmtEntry e;
  if (text.starts_with("enabled\n")) {
    e.enabled = true;
    text.remove_prefix(8);
  } else if (text.starts_with("disabled\n")) {
    text.remove_prefix(9);
  } else {
    return std::nullopt;
  }
  if (!text.starts_with(kInterpreter)) return std::nullopt;
  text.remove_prefix(kInterpreter.size());
  // The first place after which the rest reads as the kernel's: an interpreter may itself hold "\nflags: ".
  for (std::size_t at = text.find(kFlags); at != std::string_view::npos; at = text.find(kFlags, at + 1)) {
    std::string_view interpreter = text.substr(0, at);
    if (interpreter.find('\0') != std::string_view::npos) return std::nullopt;
    if (interpreter.empty()) continue;  // the kernel registers no empty interpreter
    std::string_view rest = text.substr(at + kFlags.size());
    std::size_t used = 0;
    std::optional<std::string> flags = parse_flags(rest, used);
    if (!flags) continue;
    BinfmtEntry candidate = e;
    if (!parse_tail(rest.substr(used), candidate)) continue;
    candidate.interpreter = std::string(interpreter);
    candidate.flags = std::move(*flags);
    candidate.open_file = candidate.flags.find('F') != std::string::npos;
    return candidate;
  }
  return std::nullopt;
}

Result<std::vector<BinfmtFile>> read_binfmt_files(int dir_fd) {
  auto names = list_entries_at(dir_fd, ".");
  if (!names) return tl::unexpected<Error>(names.error());
  std::vector<BinfmtFile> out;
  for (const std::string& name : *names) {
    if (name == "register" || name == "status") continue;
    auto text = read_file_at(dir_fd, name.c_str());
    if (!text) {
      if (text.error().err == ENOENT) continue;  // removed meanwhile
      return tl::unexpected<Error>(Error{text.error().err, "read", name, {}});
    }
    out.push_back(BinfmtFile{name, std::move(*text)});
  }
  return out;
}

}  // namespace detach

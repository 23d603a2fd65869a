// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/swaps.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "kernel/block.h"
#include "kernel/bounded.h"
#include "kernel/procfs.h"

namespace detach {
namespace {

bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

// The kernel separates the columns with spaces and tabs and escapes only those (and newline and backslash)
// in the path: a '\r', '\v' or '\f' in a path is part of it, not a separator as isspace() would have it.
std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  for (std::size_t at = line.find_first_not_of(" \t"); at != std::string::npos;
       at = line.find_first_not_of(" \t", at)) {
    std::size_t end = std::min(line.find_first_of(" \t", at), line.size());
    fields.push_back(line.substr(at, end - at));
    at = end;
  }
  return fields;
}

// One /proc/swaps line, with its Size column (KiB) kept for checking a resolved swap file.
struct SwapLine {
  SwapArea area;
  unsigned long long size_kib = 0;
};

std::optional<SwapLine> parse_line(const std::string& line) {
  std::vector<std::string> fields = split_fields(line);
  if (fields.empty()) return std::nullopt;
  SwapLine out;
  SwapArea& area = out.area;
  area.path = unescape_octal(fields[0]);
  if (fields.size() >= 2 && (fields[1] == "file" || fields[1] == "partition"))
    area.is_file = fields[1] == "file";
  else
    area.is_file = area.path.rfind("/dev/", 0) != 0;
  if (fields.size() >= 3) out.size_kib = std::strtoull(fields[2].c_str(), nullptr, 10);
  return out;
}

std::vector<SwapLine> parse_lines(const std::string& text) {
  std::vector<SwapLine> lines;
  std::istringstream in(text);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    bool header = first && line.rfind("Filename", 0) == 0;
    first = false;
    if (header) continue;
    if (std::optional<SwapLine> parsed = parse_line(line)) lines.push_back(std::move(*parsed));
  }
  return lines;
}

struct FileFacts {
  DeviceNumber dev;
  bool regular = false;
  unsigned long long size = 0;
};

// st_dev of a swap file, in a killable child: the stat walks the file's fs, which may not answer.
// After a lazy detach the kernel prints the path inside the detached fs ("/swapfile"), which may name some
// other file on the host: a file too small to hold the swap area, or not a regular file, is not it.
void resolve_file(SwapLine& line, std::chrono::milliseconds timeout) {
  const std::string path = line.area.path;
  Result<FileFacts> facts = run_bounded_value<FileFacts>(
      [path]() -> Result<FileFacts> {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return fail_errno("stat", path);
        return FileFacts{DeviceNumber::from_dev(st.st_dev), S_ISREG(st.st_mode) != 0,
                         static_cast<unsigned long long>(st.st_size)};
      },
      timeout);
  if (!facts) line.area.unresponsive = facts.error().err == ETIMEDOUT;
  if (!facts || !facts->regular || facts->size < line.size_kib * 1024) return;
  line.area.dev = facts->dev;
  line.area.resolved = true;
}

void resolve(SwapLine& line, std::chrono::milliseconds timeout,
             const std::function<bool(const SwapArea&)>& ask) {
  SwapArea& area = line.area;
  // A relative path (a lazily detached fs) is no host path at all.
  if (area.path.empty() || area.path[0] != '/') return;
  if (area.is_file && ask && !ask(area)) {
    area.unresponsive = true;
    return;
  }
  if (area.is_file) return resolve_file(line, timeout);
  Result<DeviceNumber> dev = block_device_number(area.path);
  if (!dev) return;
  area.dev = *dev;
  area.resolved = true;
}

}  // namespace

std::string unescape_octal(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && is_octal(text[i + 1]) && is_octal(text[i + 2]) &&
        is_octal(text[i + 3])) {
      out += static_cast<char>(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) | (text[i + 3] - '0'));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<SwapArea> parse_swaps(const std::string& text) {
  std::vector<SwapArea> areas;
  for (SwapLine& line : parse_lines(text)) areas.push_back(std::move(line.area));
  return areas;
}

Result<std::vector<SwapArea>> read_swaps(const std::string& proc_root, bool live,
                                         std::chrono::milliseconds stat_timeout,
                                         const std::function<bool(const SwapArea&)>& ask) {
  Result<std::string> text = read_file(proc_root + "/swaps");
  if (!text && text.error().err == ENOENT) return std::vector<SwapArea>{};
  if (!text) return tl::unexpected(text.error());
  std::vector<SwapArea> areas;
  for (SwapLine& line : parse_lines(*text)) {
    if (live) resolve(line, stat_timeout, ask);
    areas.push_back(std::move(line.area));
  }
  return areas;
}

}  // namespace detach

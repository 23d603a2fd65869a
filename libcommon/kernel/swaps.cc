#include "kernel/swaps.h"

#include <sys/stat.h>

#include <optional>
#include <sstream>

#include "kernel/block.h"
#include "kernel/bounded.h"
#include "kernel/text_file.h"

namespace detach {
namespace {

bool is_octal(char c) { return c >= '0' && c <= '7'; }

std::vector<std::string> split_fields(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> fields;
  for (std::string field; in >> field;) fields.push_back(field);
  return fields;
}

std::optional<SwapArea> parse_line(const std::string& line) {
  std::vector<std::string> fields = split_fields(line);
  if (fields.empty()) return std::nullopt;
  SwapArea area;
  area.path = unescape_octal(fields[0]);
  if (fields.size() >= 2 && (fields[1] == "file" || fields[1] == "partition"))
    area.is_file = fields[1] == "file";
  else
    area.is_file = area.path.rfind("/dev/", 0) != 0;
  return area;
}

// st_dev of a swap file, in a killable child: the stat walks the file's fs, which may not answer.
void resolve_file(SwapArea& area, std::chrono::milliseconds timeout) {
  const std::string path = area.path;
  Result<DeviceNumber> dev = run_bounded_value<DeviceNumber>(
      [path]() -> Result<DeviceNumber> {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) return fail_errno("stat", path);
        return DeviceNumber::from_dev(st.st_dev);
      },
      timeout);
  if (!dev) return;
  area.dev = *dev;
  area.resolved = true;
}

void resolve(SwapArea& area, std::chrono::milliseconds timeout) {
  // After a lazy detach the kernel prints the path relative to the detached root: not a host path.
  if (area.path.empty() || area.path[0] != '/') return;
  if (area.is_file) return resolve_file(area, timeout);
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
  std::istringstream in(text);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header && line.rfind("Filename", 0) == 0) {
      header = false;
      continue;
    }
    header = false;
    if (std::optional<SwapArea> area = parse_line(line)) areas.push_back(std::move(*area));
  }
  return areas;
}

std::vector<SwapArea> read_swaps(const std::string& proc_root, bool live, std::chrono::milliseconds stat_timeout) {
  Result<std::string> text = read_text_file(proc_root + "/swaps");
  if (!text) return {};
  std::vector<SwapArea> areas = parse_swaps(*text);
  if (live)
    for (SwapArea& area : areas) resolve(area, stat_timeout);
  return areas;
}

}  // namespace detach

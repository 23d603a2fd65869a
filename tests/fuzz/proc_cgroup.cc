// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/PID/cgroup (kernel/procfs parse_cgroup) and the unit named by its path (model/task unit_from_cgroup).
// Properties: the path is the rest of one line after its second ':' (never a newline in it); the unit is one
// '/'-component of the path ending .service/.scope/.slice, or empty; the unified (0::) line wins over v1
// lines.
#include "fuzz_check.h"
#include "kernel/procfs.h"
#include "model/task.h"

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void check_unit(const std::string& path) {
  std::string unit = detach::unit_from_cgroup(path);
  if (unit.empty()) return;
  FUZZ_CHECK(unit.find('/') == std::string::npos);
  FUZZ_CHECK(ends_with(unit, ".service") || ends_with(unit, ".scope") || ends_with(unit, ".slice"));
  // A whole component: it ends the path or is followed by '/', and starts it or follows a '/'.
  bool found = false;
  for (std::size_t at = path.find(unit); at != std::string::npos && !found; at = path.find(unit, at + 1)) {
    bool starts = at == 0 || path[at - 1] == '/';
    bool ends = at + unit.size() == path.size() || path[at + unit.size()] == '/';
    found = starts && ends;
  }
  FUZZ_CHECK(found);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  std::string path = detach::parse_cgroup(text);
  FUZZ_CHECK(path.find('\n') == std::string::npos);
  FUZZ_CHECK(text.find(path) != std::string::npos);
  check_unit(path);
  check_unit(text);

  fuzz::Bytes in(data, size);
  std::string v1 = in.take_short_string();
  std::string unified = in.rest();
  for (std::string* s : {&v1, &unified})
    for (char& c : *s)
      if (c == '\n') c = '_';
  std::string file = "12:cpu,cpuacct:" + v1 + "\n0::" + unified + "\n";
  FUZZ_CHECK(detach::parse_cgroup(file) == unified);
  FUZZ_CHECK(detach::parse_cgroup("1:name=systemd:" + v1 + "\n") == v1);
  return 0;
}

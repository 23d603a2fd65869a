// SPDX-License-Identifier: GPL-2.0-or-later
// What the umount scenarios share: util-linux's continuation indent, stderr split into lines, the journal.
#pragma once

#include <string>
#include <vector>

#include "harness.h"
#include "journal/journal.h"

namespace itest {

// "umount: " as spaces: how our lines below a umount message start.
inline const std::string kIndent(8, ' ');

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

// The records umount wrote to this test's journal (its own /run, see EnterPrivateMountNamespace).
inline std::vector<detach::DetachRecord> UmountRecords() {
  std::vector<detach::DetachRecord> out;
  auto records = detach::DetachJournal().read({});
  EXPECT_TRUE(records.has_value()) << records.error().message();
  if (!records) return out;
  for (const detach::DetachRecord& r : *records)
    if (r.recorded_by == "umount") out.push_back(r);
  return out;
}

// True while the mount point is still a mount point of this namespace.
inline bool Mounted(const std::string& target) {
  RunResult r = RunCommand({"findmnt", "-n", "-o", "TARGET", "--mountpoint", target});
  return r.exit_code == 0;
}

}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// Uprobe events, as tracefs lists them in uprobe_events (one file for the whole system, whichever tracefs
// mount it is read through). A uprobe event holds the file it probes (the kernel looked its path up at
// creation and keeps that path, mount included): its filesystem is busy, and after umount -l lives on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace detach {

struct UprobeEvent {
  bool is_return = false;  // "r:": a return probe
  std::string group;       // "uprobes" unless the creator named one
  std::string event;
  // The file, as given at creation (the kernel prints the string it was given, which may be relative to the
  // creator's working directory): no blank or newline in it, any other byte but NUL.
  std::string path;
  std::uint64_t offset = 0;
  std::optional<std::uint64_t> ref_ctr_offset;  // "(0x...)" after the offset: a reference counter (SDT)
  std::string args;  // the fetch arguments as printed ("arg1=%ip arg2=%ax"), empty when none

  std::string name() const { return group + "/" + event; }  // "uprobes/NAME", as "-:NAME" removes it
  // The probe as one writes it to uprobe_events, without its arguments: "p:uprobes/x /bin/x:0x1234".
  std::string definition() const;
};

// Parses uprobe_events text, one event a line as the kernel prints it:
//   "p:GROUP/EVENT PATH:0x%016lx[(0x%lx)][ NAME=FETCH ...]\n" ("r:" for a return probe).
// A line that is not of that form (cut short, garbage) is skipped and counted in SKIPPED when given.
std::vector<UprobeEvent> parse_uprobe_events(std::string_view text, std::size_t* skipped = nullptr);

}  // namespace detach

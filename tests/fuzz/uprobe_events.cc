// SPDX-License-Identifier: GPL-2.0-or-later
// tracefs uprobe_events (kernel/uprobe_events parse_uprobe_events). Any bytes: no crash; every line the text
// ends is either an event or counted as skipped, the last one when cut short is skipped; an event's
// definition and arguments are in its line. Property: events laid out as the kernel prints them (paths of
// any bytes but NUL, blanks and newlines, ':' included; padded offsets; reference counters; arguments) come
// back field for field.
#include <cinttypes>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "kernel/uprobe_events.h"

namespace {

using detach::UprobeEvent;

std::string print_event(const UprobeEvent& e) {
  char where[64];
  std::snprintf(where, sizeof where, ":0x%016" PRIx64, e.offset);
  std::string out = std::string(e.is_return ? "r:" : "p:") + e.group + "/" + e.event + " " + e.path + where;
  if (e.ref_ctr_offset) {
    std::snprintf(where, sizeof where, "(0x%" PRIx64 ")", *e.ref_ctr_offset);
    out += where;
  }
  if (!e.args.empty()) out += " " + e.args;
  return out + "\n";
}

std::string name_from(std::string s, const char* fallback) {
  std::string out;
  for (unsigned char c : s) out += std::isalnum(c) ? static_cast<char>(c) : '_';
  return out.empty() ? fallback : out;
}

std::string path_from(std::string s) {
  std::string out;
  for (char c : s) out += c == '\0' || c == ' ' || c == '\n' ? '#' : c;
  return out.empty() ? "/p" : out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  std::size_t skipped = 0;
  std::vector<UprobeEvent> parsed = detach::parse_uprobe_events(text, &skipped);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  const bool cut = !text.empty() && text.back() != '\n';
  FUZZ_CHECK(parsed.size() + skipped == lines + (cut ? 1 : 0));
  for (const UprobeEvent& e : parsed) {
    FUZZ_CHECK(text.find(e.name() + " " + e.path + ":0x") != std::string::npos);
    FUZZ_CHECK(e.args.find('\n') == std::string::npos);
  }

  fuzz::Bytes in(data, size);
  std::vector<UprobeEvent> want;
  std::string printed;
  for (int i = 0; i < 4 && !in.empty(); ++i) {
    UprobeEvent e;
    const auto shape = in.take<std::uint8_t>();
    e.is_return = (shape & 1) != 0;
    e.group = name_from(in.take_short_string(), "uprobes");
    e.event = name_from(in.take_short_string(), "e");
    e.path = path_from(in.take_short_string());
    e.offset = in.take<std::uint64_t>();
    if ((shape & 2) != 0) e.ref_ctr_offset = in.take<std::uint64_t>() | 1;
    if ((shape & 4) != 0) e.args = "arg1=" + name_from(in.take_short_string(), "x") + " arg2=%ax";
    printed += print_event(e);
    want.push_back(std::move(e));
  }
  std::vector<UprobeEvent> got = detach::parse_uprobe_events(printed, &skipped);
  FUZZ_CHECK(skipped == 0);
  FUZZ_CHECK(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    FUZZ_CHECK(got[i].is_return == want[i].is_return);
    FUZZ_CHECK(got[i].group == want[i].group);
    FUZZ_CHECK(got[i].event == want[i].event);
    FUZZ_CHECK(got[i].path == want[i].path);
    FUZZ_CHECK(got[i].offset == want[i].offset);
    FUZZ_CHECK(got[i].ref_ctr_offset == want[i].ref_ctr_offset);
    FUZZ_CHECK(got[i].args == want[i].args);
    FUZZ_CHECK(print_event(got[i]) == print_event(want[i]));
  }
  return 0;
}

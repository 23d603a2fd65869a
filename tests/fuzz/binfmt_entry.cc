// SPDX-License-Identifier: GPL-2.0-or-later
// binfmt_misc entry files (kernel/binfmt_misc parse_binfmt_entry). Any bytes: no crash, and an entry parsed
// from them prints back, as the kernel's entry_status() prints one, to exactly those bytes (nothing is
// guessed or dropped). Properties: an entry laid out as the kernel prints it, with any bytes but NUL in its
// interpreter (newlines too) and extension, comes back field for field, unless its interpreter itself holds
// the flags line, where the text cannot tell (then it still parses, to some entry that prints back the same).
#include <string>

#include "fuzz_check.h"
#include "kernel/binfmt_misc.h"

namespace {

using detach::BinfmtEntry;

std::string print_entry(const BinfmtEntry& e) {
  std::string out = std::string(e.enabled ? "enabled" : "disabled") + "\ninterpreter " + e.interpreter +
                    "\nflags: " + e.flags + "\n";
  if (e.extension) return out + "extension ." + *e.extension + "\n";
  out += "offset " + std::to_string(e.offset.value_or(0)) + "\nmagic " + e.magic;
  if (!e.mask.empty()) out += "\nmask " + e.mask;
  return out + "\n";
}

std::string without_nul(std::string s) {
  for (char& c : s)
    if (c == '\0') c = '@';
  return s;
}

std::string hex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  if (std::optional<BinfmtEntry> e = detach::parse_binfmt_entry(text)) FUZZ_CHECK(print_entry(*e) == text);

  fuzz::Bytes in(data, size);
  const auto shape = in.take<std::uint8_t>();
  BinfmtEntry want;
  want.enabled = (shape & 1) != 0;
  static const char* const kFlagSets[] = {"", "F", "P", "OC", "OCF", "POCF", "PF", "CF"};
  want.flags = kFlagSets[(shape >> 1) & 7];
  want.open_file = want.flags.find('F') != std::string::npos;
  want.interpreter = without_nul(in.take_short_string());
  if (want.interpreter.empty()) want.interpreter = "/i";
  if ((shape & 16) != 0) {
    std::string ext = without_nul(in.take_short_string());
    for (char& c : ext)
      if (c == '/') c = '_';
    want.extension = ext;
  } else {
    want.offset = in.take<std::int32_t>();
    std::string magic = in.take_short_string();
    if (magic.empty()) magic = "x";
    want.magic = hex(magic);
    if ((shape & 32) != 0)
      want.mask =
          hex(in.take_string(magic.size()) + std::string(magic.size(), '\xff')).substr(0, want.magic.size());
  }
  const std::string printed = print_entry(want);
  std::optional<BinfmtEntry> got = detach::parse_binfmt_entry(printed);
  FUZZ_CHECK(got.has_value());
  FUZZ_CHECK(print_entry(*got) == printed);
  if (want.interpreter.find("\nflags: ") != std::string::npos) return 0;
  FUZZ_CHECK(got->enabled == want.enabled);
  FUZZ_CHECK(got->interpreter == want.interpreter);
  FUZZ_CHECK(got->flags == want.flags);
  FUZZ_CHECK(got->open_file == want.open_file);
  FUZZ_CHECK(got->extension == want.extension);
  FUZZ_CHECK(got->offset == want.offset);
  FUZZ_CHECK(got->magic == want.magic);
  FUZZ_CHECK(got->mask == want.mask);
  return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
// Mount option values (kernel/mount_options mount_option_value). Any bytes as an option list and a key: no
// crash, a value only for a key that stands whole before '='. Property: an option list laid out as the
// kernel prints it (seq_show_option escapes ',', ' ', '\t', '\n' and '\\' as \ooo), with logdev= and rtdev=
// values of any bytes but NUL among other options, gives each value back byte for byte, and nothing for a
// key it does not hold.
#include <vector>

#include "fuzz_check.h"
#include "kernel/mount_options.h"

namespace {

// seq_show_option()'s escaping of a value.
std::string option_escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\\') {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string without_nul(std::string text) {
  for (char& c : text)
    if (c == '\0') c = '0';  // an option string holds no NUL
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Bytes in(data, size);
  // Any bytes: a value comes only after "KEY=" at the start of an option.
  const std::string key = in.take_string(in.take<std::uint8_t>() & 15);
  const std::string raw = fuzz::as_string(data, size);
  if (std::optional<std::string> value = detach::mount_option_value(raw, key)) {
    FUZZ_CHECK(!key.empty());
    FUZZ_CHECK(raw.starts_with(key + "=") || raw.find("," + key + "=") != std::string::npos);
    FUZZ_CHECK(value->size() <= raw.size());
  }

  // Kernel-shaped: "rw,<other options>,logdev=<escaped>,<others>,rtdev=<escaped>,noquota".
  const std::string logdev = without_nul(in.take_short_string());
  const std::string rtdev = without_nul(in.take_short_string());
  const std::string filler = without_nul(in.rest());
  std::string others;  // option names from the filler, none of them a device key
  for (char c : filler)
    if ((c >= 'a' && c <= 'z') || c == '=' || c == ',' || (c >= '0' && c <= '9')) others += c;
  if (others.find("logdev=") != std::string::npos || others.find("rtdev=") != std::string::npos)
    others.clear();
  std::string options = "rw," + others;
  if (!logdev.empty()) options += ",logdev=" + option_escape(logdev);
  options += "," + others;
  if (!rtdev.empty()) options += ",rtdev=" + option_escape(rtdev);
  options += ",noquota";
  FUZZ_CHECK(detach::mount_option_value(options, "logdev") ==
             (logdev.empty() ? std::nullopt : std::optional<std::string>(logdev)));
  FUZZ_CHECK(detach::mount_option_value(options, "rtdev") ==
             (rtdev.empty() ? std::nullopt : std::optional<std::string>(rtdev)));
  FUZZ_CHECK(!detach::mount_option_value(options, "journal_path").has_value());
  return 0;
}

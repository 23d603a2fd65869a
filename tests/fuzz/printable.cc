// SPDX-License-Identifier: GPL-2.0-or-later
// What we print of kernel text (explain/printable: printable, escape_invalid_utf8). Properties, checked
// against nlohmann-json's own UTF-8 validation: both outputs are valid UTF-8; printable()'s output holds no
// control character (C0, DEL or C1: a terminal acts on them); valid text without controls is left as it is;
// each output is a pure function of the bytes (escaping never depends on what came before a valid sequence).
#include <nlohmann/json.hpp>

#include "explain/printable.h"
#include "fuzz_check.h"

namespace {

bool valid_utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

// C0 controls, DEL, and C1 controls (U+0080..U+009F, encoded as 0xc2 0x80..0x9f).
bool has_control(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9f)
      return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  const std::string shown = detach::printable(text);
  const std::string json_safe = detach::escape_invalid_utf8(text);
  FUZZ_CHECK(valid_utf8(shown));
  FUZZ_CHECK(valid_utf8(json_safe));
  FUZZ_CHECK(!has_control(shown));
  FUZZ_CHECK(shown.find('\n') == std::string::npos);
  if (valid_utf8(text)) {
    FUZZ_CHECK(json_safe == text);
    if (!has_control(text)) FUZZ_CHECK(shown == text);
  }
  // Escaping twice changes nothing more for the JSON form: its output is already valid.
  FUZZ_CHECK(detach::escape_invalid_utf8(json_safe) == json_safe);
  // Concatenation: a split between two whole valid sequences escapes each half on its own.
  std::size_t cut = text.size() / 2;
  std::string a = text.substr(0, cut), b = text.substr(cut);
  if (valid_utf8(a) && valid_utf8(b)) FUZZ_CHECK(detach::printable(a) + detach::printable(b) == shown);
  return 0;
}

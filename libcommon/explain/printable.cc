// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/printable.h"

#include <cstdio>

namespace detach {

namespace {

void append_hex(std::string& out, unsigned char c) {
  char buf[5];
  (void)std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out += buf;
}

// Length of the valid UTF-8 sequence at TEXT[I], or 0 when the byte there does not start one.
std::size_t utf8_sequence_length(const std::string& text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  // Overlong forms and surrogates are not UTF-8 either (JSON parsers reject them).
  if (len == 2 && c < 0xc2) return 0;
  if (len == 3 && ((c == 0xe0 && byte(i + 1) < 0xa0) || (c == 0xed && byte(i + 1) >= 0xa0))) return 0;
  if (len == 4 && ((c == 0xf0 && byte(i + 1) < 0x90) || c > 0xf4 || (c == 0xf4 && byte(i + 1) >= 0x90)))
    return 0;
  return len;
}

std::string escape(const std::string& text, bool control_too) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = utf8_sequence_length(text, i);
    // C1 controls (U+0080..U+009F, 0xc2 0x80..0x9f) act on terminals as C0 ones do (U+009B is CSI).
    bool c1 = len == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) <= 0x9f;
    if (control_too && c1) {
      append_hex(out, c);
      append_hex(out, static_cast<unsigned char>(text[i + 1]));
      i += 2;
    } else if (len == 0 || (control_too && (c < 0x20 || c == 0x7f))) {
      append_hex(out, c);
      ++i;
    } else {
      out.append(text, i, len);
      i += len;
    }
  }
  return out;
}

}  // namespace

std::string escape_invalid_utf8(const std::string& text) {
  return escape(text, false);
}

std::string printable(const std::string& text) {
  return escape(text, true);
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// findmnt's option values as numbers (tools/findmnt/numbers.cc: --id, --uniq-id, -w, util-linux's
// strtoXX_or_err). Properties against a plain reference: a value only for [blanks][+]digits (a sign '-'
// only for the signed form) whose value fits; parse_u32 is parse_u64 bounded; errors are EINVAL or ERANGE.
#include <cerrno>
#include <climits>
#include <optional>

#include "fuzz_check.h"
#include "numbers.h"

namespace {

// [blanks][sign]digits with nothing after: the value, or nullopt; OVERFLOW set when the digits do not fit.
std::optional<__int128> reference(const std::string& text, bool blanks, bool& overflow) {
  std::size_t i = 0;
  if (blanks)
    while (i < text.size() && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  if (i == text.size()) return std::nullopt;
  __int128 value = 0;
  overflow = false;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
    if (value > static_cast<__int128>(UINT64_MAX)) {
      overflow = true;
      value = static_cast<__int128>(UINT64_MAX) + 1;
    }
  }
  return negative ? -value : value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  if (text.find('\0') != std::string::npos) return 0;  // an argv string holds no NUL
  bool overflow = false;

  auto u64 = findmnt::parse_u64(text);
  auto ref = reference(text, true, overflow);
  // As util-linux's ul_strtou64: only a negative number is refused ("-0" is 0).
  bool u64_ok = ref && !overflow && *ref >= 0;
  FUZZ_CHECK(u64.has_value() == u64_ok);
  if (u64) FUZZ_CHECK(static_cast<__int128>(*u64) == *ref);
  if (!u64) FUZZ_CHECK(u64.error().err == EINVAL || u64.error().err == ERANGE);

  auto u32 = findmnt::parse_u32(text);
  FUZZ_CHECK(u32.has_value() == (u64_ok && *ref <= UINT32_MAX));
  if (u32) FUZZ_CHECK(*u32 == *u64);

  auto s32 = findmnt::parse_s32(text);
  ref = reference(text, true, overflow);
  bool s32_ok = ref && !overflow && *ref >= INT32_MIN && *ref <= INT32_MAX;
  FUZZ_CHECK(s32.has_value() == s32_ok);
  if (s32) FUZZ_CHECK(static_cast<__int128>(*s32) == *ref);
  return 0;
}

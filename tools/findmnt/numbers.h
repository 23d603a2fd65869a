// SPDX-License-Identifier: GPL-2.0-or-later
// util-linux's strtoXX_or_err() checks, as values: the same inputs fail, with the same errno.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace findmnt {

// Decimal, leading blanks allowed, nothing after the digits. EINVAL for junk; ERANGE when out of range
// (a '-' sign is out of range for the unsigned forms, as in util-linux 2.38).
detach::Result<std::uint64_t> parse_u64(const std::string& text);
detach::Result<std::uint32_t> parse_u32(const std::string& text);
detach::Result<std::int32_t> parse_s32(const std::string& text);

}  // namespace findmnt

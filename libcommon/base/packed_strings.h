// SPDX-License-Identifier: GPL-2.0-or-later
// A list of strings (any bytes) as one string and back: what a bounded child sends through its pipe when its
// answer is several texts (netstring-like: the length in decimal, ':', the bytes).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace detach {

std::string pack_strings(const std::vector<std::string>& items);
// nullopt when BYTES is not such a list (cut short, garbage).
std::optional<std::vector<std::string>> unpack_strings(std::string_view bytes);

}  // namespace detach

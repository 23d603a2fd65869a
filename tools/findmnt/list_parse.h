// SPDX-License-Identifier: GPL-2.0-or-later
// util-linux's string_to_idarray(): "a,b,c" to ids, with its exact edge cases (an empty name fails quietly,
// "a," asks for a column named "a,"), because scripts see the same errors and exit codes.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace findmnt {

// `to_id(name, rest)` maps one name (rest: the list from that name to its end, for messages) to an id, or
// nullopt after recording its own message. Returns nullopt on any failure, including more than `room` ids.
std::optional<std::vector<int>> parse_id_list(
    std::string_view list, std::size_t room,
    const std::function<std::optional<int>(std::string_view name, std::string_view rest)>& to_id);

}  // namespace findmnt

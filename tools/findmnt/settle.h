// SPDX-License-Identifier: GPL-2.0-or-later
// What util-linux findmnt decides between option parsing and reading tables: default columns, -o, the table
// type, positional arguments, and when tree output or source/target swapping is off.
#pragma once

#include <optional>

#include "config.h"

namespace findmnt {

// nullopt: go on; else exit with this code (a message was printed).
std::optional<int> settle_config(Config& cfg);

}  // namespace findmnt

// SPDX-License-Identifier: GPL-2.0-or-later
// Signal names as the tools that end processes take them (fuser -SIGNAL, kill-style --kill=SIGNAL): the
// standard signals of Linux, by number, without the "SIG" prefix.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace cli {

struct SignalName {
  int number;
  std::string_view name;  // "HUP"
};

// HUP (1) to SYS (31), in number order: the names psmisc's fuser -l lists (no aliases, no real-time ones).
std::span<const SignalName> standard_signals();

// The number of NAME ("HUP" or "SIGHUP", exact case); nullopt for anything else.
std::optional<int> signal_number(std::string_view name);

}  // namespace cli

// Pins as people read them: "1234 (sleep) cwd", "1240 (bash) fd 7 (write)", "loop /dev/loop1".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace detach {

// One pin: task pins as "PID (COMMAND) HOW" (a thread with its own fs or fd table: "PID/TID (COMMAND) HOW");
// kernel pins as their holder ("loop /dev/loop1", "swap file /swapfile", "bind mount /srv/x").
std::string describe_pin(const Snapshot& snapshot, const Pin& pin);

// PINS in the order people read them (processes first, by pid, then fd; then kernel pins), one per distinct
// description: the 40 mmaps of one library in one process are one pinner.
std::vector<const Pin*> distinct_pins(const Snapshot& snapshot, std::vector<const Pin*> pins);

// Several pins joined by ", ", as distinct_pins orders and merges them; past LIMIT pinners, the first LIMIT
// and " and N more".
std::string describe_pins(const Snapshot& snapshot, const std::vector<const Pin*>& pins,
                          std::size_t limit = SIZE_MAX);

}  // namespace detach

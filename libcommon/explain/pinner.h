// Pins as people read them: "1234 (sleep) cwd", "1240 (bash) fd 7 (write)", "loop /dev/loop1".
#pragma once

#include <string>
#include <vector>

#include "model/snapshot.h"

namespace detach {

// One pin: task pins as "PID (COMMAND) HOW" (a thread with its own fs or fd table: "PID/TID (COMMAND) HOW");
// kernel pins as their holder ("loop /dev/loop1", "swap file /swapfile", "bind mount /srv/x").
std::string describe_pin(const Snapshot& snapshot, const Pin& pin);

// Several pins joined by ", ", one entry per distinct description, in pid order.
std::string describe_pins(const Snapshot& snapshot, const std::vector<const Pin*>& pins);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// A DeviceReport for people ("/dev/loop3 is busy: it is mounted at /mnt/x") and for programs (JSON).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "explain/device.h"

namespace detach {

// First line "DEVICE is busy: REASON", "DEVICE is free: mkfs can use it", "DEVICE cannot be formatted: WHY"
// or "DEVICE could not be checked: WHY"; one line per further reason. Ends with a newline. Control characters
// in paths are shown as \xNN so that each reason stays on its line.
std::string render_text(const Snapshot& snapshot, const DeviceReport& report);

// {"device": ..., "busy": ..., "status": ..., "claimed": ..., "reasons": [{"kind": ..., ...}]}, and with
// WITH_CHECKS "checks": what checks_made() lists.
nlohmann::ordered_json to_json(const Snapshot& snapshot, const DeviceReport& report,
                               bool with_checks = false);

}  // namespace detach

// mkfs-guard's steps, each a call into libcommon: find the device, check it, say why it is busy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "explain/device.h"
#include "model/snapshot.h"

namespace detach::guard {

struct Check {
  Snapshot snapshot;  // the reasons refer to its pins
  DeviceReport report;
};

// The device a mkfs command writes to: its last argument that names a block device; nullopt when none does.
std::optional<std::string> device_in_command(const std::vector<std::string>& command);

// Is DEVICE claimed, and why: one snapshot of the system, with pin details only for the device's mounts.
Result<Check> check_device(const std::string& device);

// "cannot open /dev/nope: No such file or directory", for the one-line message of a failed check.
std::string check_error_message(const std::string& device, const Error& error);

}  // namespace detach::guard

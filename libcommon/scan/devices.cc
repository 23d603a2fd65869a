#include "scan/devices.h"

#include <blkid.h>

#include <cstdlib>
#include <memory>

#include "kernel/block.h"
#include "kernel/bounded.h"

namespace detach {
namespace {

// A stat outside /dev gets this long (a live filesystem answers in microseconds).
constexpr std::chrono::milliseconds kOutsideDevLimit{1000};

bool is_tag(const std::string& name) {
  for (const char* tag : {"LABEL=", "UUID=", "PARTLABEL=", "PARTUUID="})
    if (name.starts_with(tag)) return true;
  return false;
}

// The /dev path NAME stands for; empty when it names none.
std::string device_path(const std::string& name) {
  if (name.starts_with("/dev/")) return name;
  if (!is_tag(name)) return "";
  std::unique_ptr<char, decltype(&std::free)> path(blkid_evaluate_tag(name.c_str(), nullptr, nullptr),
                                                   &std::free);
  return path ? std::string(path.get()) : std::string();
}

}  // namespace

Result<DeviceNumber> resolve_block_device(const std::string& name) {
  std::string path = device_path(name);
  if (!path.empty()) return block_device_number(path);
  if (name.empty() || name[0] != '/') return fail(EINVAL, "resolve", name, "not a path or a tag");
  // Anywhere else (a symlink in a work directory) the stat may reach a filesystem that hangs: bounded.
  return run_bounded_value<DeviceNumber>([&name] { return block_device_number(name); }, kOutsideDevLimit);
}

bool names_device(const std::string& name, DeviceNumber dev) {
  Result<DeviceNumber> number = resolve_block_device(name);
  return number && *number == dev;
}

bool device_may_be_claimed(const std::string& name) {
  std::string path = device_path(name);
  if (path.empty() || !block_device_number(path)) return true;  // not a device we can ask: let the scan tell
  Result<bool> claimed = block_device_claimed(path);
  return !claimed || *claimed;
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
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

Result<DeviceNode> find_device_node(const std::string& name, const std::string& sys_root,
                                    const std::string& dev_root) {
  Result<DeviceNumber> dev =
      !name.empty() && name[0] != '/' && !is_tag(name)
          ? run_bounded_value<DeviceNumber>([&name] { return block_device_number(name); }, kOutsideDevLimit)
          : resolve_block_device(name);
  if (!dev) return tl::unexpected<Error>(dev.error());
  DeviceNode out{name, *dev, {}};
  // devtmpfs names every device; a node there never calls into another filesystem when opened.
  if (Result<std::string> devname = block_device_devname(sys_root, *dev)) {
    std::string node = dev_root + "/" + *devname;
    Result<DeviceNumber> there = block_device_number(node);
    if (there && *there == *dev) out.node = std::move(node);
  }
  if (out.node.empty() && name.starts_with(dev_root + "/")) out.node = name;
  if (out.node.empty()) return fail(ENOENT, "find", name, "no node for " + dev->str() + " in " + dev_root);
  return out;
}

Result<bool> device_claimed(const DeviceNode& device) {
  return block_device_claimed(device.node);
}

Result<UniqueFd> claim_device(const DeviceNode& device) {
  return claim_block_device(device.node);
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

#include "guard.h"

#include <unistd.h>

#include <cstring>

#include "kernel/block.h"
#include "scan/mount_namespace.h"
#include "scan/scan.h"

namespace detach::guard {
namespace {

ScanOptions scan_options(const std::string& device, DeviceNumber dev) {
  ScanOptions options;
  // Pin details cost a readlink per pin: only mounts of this device need them.
  options.detail_pins_of = [device, dev](const Mount& m) { return m.dev == dev || m.source == device; };
  // Per-mount options of detached mounts are no reason a device is busy: no call into their filesystems
  // (a dead FUSE daemon would cost the bound) unless nothing else tells what they are.
  options.detached_options = false;
  return options;
}

ExplainOptions explain_options(const ScanOptions& scan) {
  ExplainOptions options;
  options.own_pid = ::getpid();
  if (Result<MountNamespaceRef> ns = task_mount_namespace(scan.proc_root, static_cast<unsigned>(::getpid())))
    options.own_ns_inode = ns->inode;
  // btrfs superblocks have anonymous device numbers: the mount source is what links them to the device.
  // Only /dev paths are looked up: stat of a devtmpfs node never calls into another filesystem.
  options.source_is_device = [](const std::string& source, DeviceNumber dev) {
    if (source.rfind("/dev/", 0) != 0) return false;
    Result<DeviceNumber> number = block_device_number(source);
    return number && *number == dev;
  };
  return options;
}

}  // namespace

std::optional<std::string> device_in_command(const std::vector<std::string>& command) {
  for (std::size_t i = command.size(); i-- > 1;) {
    if (command[i].empty() || command[i][0] == '-') continue;
    if (block_device_number(command[i])) return command[i];
  }
  return std::nullopt;
}

Result<Check> check_device(const std::string& device) {
  Result<DeviceNumber> dev = block_device_number(device);
  if (!dev) return tl::unexpected<Error>(dev.error());
  Result<bool> claimed = block_device_claimed(device);
  if (!claimed) return tl::unexpected<Error>(claimed.error());

  ScanOptions scan = scan_options(device, *dev);
  Result<Snapshot> snapshot = take_snapshot(scan);
  if (!snapshot) return tl::unexpected<Error>(snapshot.error());

  Check check{std::move(*snapshot), {}};
  check.report = explain_device(check.snapshot, device, *dev, *claimed, explain_options(scan));
  return check;
}

std::string check_error_message(const std::string& device, const Error& error) {
  if (error.path == device && error.err != 0)
    return "cannot open " + device + ": " + std::strerror(error.err);
  return "cannot check " + device + ": " + error.message();
}

}  // namespace detach::guard

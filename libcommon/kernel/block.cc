// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/block.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <set>

#include "base/parallel.h"
#include "base/unique_fd.h"
#include "kernel/bounded.h"
#include "kernel/procfs.h"

namespace detach {
namespace {

namespace fs = std::filesystem;

bool path_exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

// Names in DIR, sorted; empty when DIR is missing (git keeps no empty holders/ in fixtures, either). Any
// other failure to list it goes to UNREAD (when given).
std::vector<std::string> list_names(const fs::path& dir, std::vector<std::string>* unread) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  if (ec && ec != std::errc::no_such_file_or_directory && unread != nullptr)
    unread->push_back(dir.string() + ": " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

// The directory every block device is listed in: class/block since 2.6.25, block/ before (and in old
// fixtures).
fs::path block_class_dir(const std::string& sys_root) {
  fs::path modern = fs::path(sys_root) / "class" / "block";
  return path_exists(modern) ? modern : fs::path(sys_root) / "block";
}

// Partitions are subdirectories of their disk's directory that have a "partition" attribute.
std::vector<std::string> partitions_in(const fs::path& disk_dir, std::vector<std::string>* unread) {
  std::vector<std::string> parts;
  for (const std::string& name : list_names(disk_dir, unread))
    if (path_exists(disk_dir / name / "partition")) parts.push_back(name);
  return parts;
}

// class/block/sda1 links to .../block/sda/sda1: the disk is the directory the partition lives in.
std::string parent_disk(const fs::path& partition_link) {
  std::error_code ec;
  fs::path real = fs::canonical(partition_link, ec);
  return ec ? std::string() : real.parent_path().filename().string();
}

// sysfs "size": decimal 512-byte sectors.
std::optional<std::uint64_t> parse_sectors(const std::string& text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<BlockDevice> read_one(const fs::path& dir, const std::string& name,
                                    std::vector<std::string>* unread) {
  std::optional<DeviceNumber> dev = parse_device_number(read_attribute(dir / "dev"));
  if (!dev) return std::nullopt;
  BlockDevice device;
  device.name = name;
  device.dev = *dev;
  device.holders = list_names(dir / "holders", unread);
  device.partitions = partitions_in(dir, unread);
  device.dm_name = read_attribute(dir / "dm" / "name");
  device.dm_uuid = read_attribute(dir / "dm" / "uuid");
  device.md_level = read_attribute(dir / "md" / "level");
  device.size_sectors = parse_sectors(read_attribute(dir / "size"));
  return device;
}

}  // namespace

std::optional<DeviceNumber> parse_device_number(const std::string& text) {
  // sscanf("%u") took " 8: 1", "+8:1" and "-1:0" (as 4294967295) and overflowed silently.
  std::string_view view = text;
  std::size_t colon = view.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto major = parse_kernel_u32(view.substr(0, colon));
  auto minor = parse_kernel_u32(view.substr(colon + 1));
  if (!major || !minor) return std::nullopt;
  return DeviceNumber{*major, *minor};
}

std::vector<BlockDevice> read_block_devices(const std::string& sys_root, std::vector<std::string>* unread) {
  const fs::path base = block_class_dir(sys_root);
  std::vector<BlockDevice> devices;
  std::set<std::string> seen;
  for (const std::string& name : list_names(base, unread)) {
    if (seen.count(name)) continue;  // a partition already read inside its disk
    std::optional<BlockDevice> disk = read_one(base / name, name, unread);
    if (!disk) continue;
    seen.insert(name);
    if (path_exists(base / name / "partition")) disk->parent = parent_disk(base / name);
    // The old block/ layout lists only disks: their partitions are found inside them.
    for (const std::string& part : disk->partitions) {
      std::optional<BlockDevice> partition = read_one(base / name / part, part, unread);
      if (!partition) continue;
      partition->parent = name;
      if (seen.insert(part).second) devices.push_back(std::move(*partition));
    }
    devices.push_back(std::move(*disk));
  }
  std::sort(devices.begin(), devices.end(),
            [](const BlockDevice& a, const BlockDevice& b) { return a.name < b.name; });
  return devices;
}

namespace {

struct LoopStatus {
  dev_t backing_dev;
  std::uint64_t backing_inode;
};

// lo_device and lo_inode of a bound loop device. O_RDONLY without O_EXCL: this must never claim the device.
Result<LoopStatus> loop_status(const std::string& node) {
  UniqueFd fd(::open(node.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) return fail_errno("open", node);
  loop_info64 info{};
  if (::ioctl(fd.get(), LOOP_GET_STATUS64, &info) != 0) return fail_errno("ioctl LOOP_GET_STATUS64", node);
  return LoopStatus{static_cast<dev_t>(info.lo_device), info.lo_inode};
}

// LOOP_GET_STATUS64 stats the backing file (vfs_getattr), which blocks when that file lives on a dead FUSE or
// NFS server: so it runs in a killable child, every loop device's at once, within one deadline.
void add_loop_status(LoopDevice& loop, const std::string& dev_root,
                     std::chrono::steady_clock::time_point deadline) {
  std::string node = dev_root + "/" + device_node_name(loop.name);
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  auto status = run_bounded_value<LoopStatus>([&node] { return loop_status(node); },
                                              std::max(left, std::chrono::milliseconds(0)));
  if (!status) {
    loop.unresponsive = status.error().err == ETIMEDOUT;
    return;
  }
  // lo_device is the kernel's huge_encode_dev(), which glibc's major()/minor() decode.
  loop.backing_dev = DeviceNumber::from_dev(status->backing_dev);
  loop.backing_inode = status->backing_inode;
}

}  // namespace

std::vector<LoopDevice> read_loop_devices(const std::string& sys_root, const std::string& dev_root, bool live,
                                          std::chrono::milliseconds limit,
                                          const std::function<bool(const LoopDevice&)>& ask) {
  const fs::path base = block_class_dir(sys_root);
  std::vector<LoopDevice> loops;
  for (const std::string& name : list_names(base, nullptr)) {
    fs::path loop_dir = base / name / "loop";
    // Only a bound loop device has loop/; backing_file is the one attribute that says it is bound.
    // read_attribute drops the one newline the kernel appends; the path itself may hold newlines.
    std::string backing = read_attribute(loop_dir / "backing_file");
    if (backing.empty()) continue;
    std::optional<DeviceNumber> dev = parse_device_number(read_attribute(base / name / "dev"));
    if (!dev) continue;
    LoopDevice loop;
    loop.name = name;
    loop.dev = *dev;
    loop.backing_file = std::move(backing);
    loop.autoclear = read_attribute(loop_dir / "autoclear") == "1";
    loops.push_back(std::move(loop));
  }
  if (live) {
    constexpr std::size_t kMaxAtOnce = 16;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    run_in_parallel(loops.size(), kMaxAtOnce, [&](std::size_t i) {
      if (!ask || ask(loops[i]))
        add_loop_status(loops[i], dev_root, deadline);
      else
        loops[i].unresponsive = true;
    });
  }
  return loops;
}

Result<DeviceNumber> block_device_number(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail_errno("stat", path);
  if (!S_ISBLK(st.st_mode)) return fail(ENOTBLK, "stat", path);
  return DeviceNumber::from_dev(st.st_rdev);
}

Result<UniqueFd> claim_block_device(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK));
  if (!fd) return fail_errno("open", path);
  return fd;
}

Result<std::string> block_device_devname(const std::string& sys_root, DeviceNumber dev) {
  const std::string uevent = sys_root + "/dev/block/" + dev.str() + "/uevent";
  Result<std::string> text = read_file(uevent);
  if (!text) return tl::unexpected<Error>(text.error());
  constexpr std::string_view kKey = "DEVNAME=";
  std::size_t at = 0;
  while (at < text->size()) {
    std::size_t end = text->find('\n', at);
    if (end == std::string::npos) end = text->size();
    std::string_view line(text->data() + at, end - at);
    if (line.starts_with(kKey) && line.size() > kKey.size()) return std::string(line.substr(kKey.size()));
    at = end + 1;
  }
  return fail(ENOENT, "read", uevent, "no DEVNAME");
}

Result<bool> block_device_claimed(const std::string& path) {
  // O_NONBLOCK (in the claim): never wait for media (a CD drive) just to learn whether someone holds it.
  Result<UniqueFd> claim = claim_block_device(path);
  if (claim) return false;
  if (claim.error().err == EBUSY) return true;
  return tl::unexpected<Error>(claim.error());
}

}  // namespace detach

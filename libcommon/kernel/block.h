// SPDX-License-Identifier: GPL-2.0-or-later
// Block devices as sysfs shows them: names, numbers, holders, partitions, loop backing files.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "model/device_name.h"
#include "model/snapshot.h"

namespace detach {

// Every block device under SYS_ROOT/class/block (falls back to SYS_ROOT/block), with holders and partitions,
// sorted by name. Devices whose attributes vanish while reading (hot unplug) are skipped. A directory that
// is there and cannot be listed (the block devices, a device's holders or partitions) is added to UNREAD,
// when given, as "DIR: reason": what it holds is missing from the answer.
std::vector<BlockDevice> read_block_devices(const std::string& sys_root,
                                            std::vector<std::string>* unread = nullptr);

// Every bound loop device, sorted by name. With live, LOOP_GET_STATUS64 on DEV_ROOT/NAME adds backing_dev and
// backing_inode (sysfs has neither; its backing_file is relative once the backing file's fs is detached), for
// all of them within LIMIT; one that does not answer in time is marked unresponsive. ASK, when given, says
// which to ask: the others are marked unresponsive without asking.
std::vector<LoopDevice> read_loop_devices(const std::string& sys_root, const std::string& dev_root, bool live,
                                          std::chrono::milliseconds limit = std::chrono::milliseconds(2000),
                                          const std::function<bool(const LoopDevice&)>& ask = {});

// "/dev/loop0" -> 7:0, through stat(2) of the node (devtmpfs: never calls into another filesystem).
// Fails with ENOTBLK when PATH is not a block device.
Result<DeviceNumber> block_device_number(const std::string& path);

// Is the device claimed? open(O_EXCL) as mkfs does: true when EBUSY.
Result<bool> block_device_claimed(const std::string& path);

// Claims the device as mkfs does (open O_EXCL, read-only, close-on-exec) and keeps the claim while the fd
// lives: nothing can mount or claim it meanwhile. EBUSY when it is claimed already.
Result<UniqueFd> claim_block_device(const std::string& path);

// The name devtmpfs gives device DEV ("loop3p1", "mapper/..." is not one: "dm-0"), from
// SYS_ROOT/dev/block/MAJ:MIN/uevent DEVNAME; ENOENT when sysfs has no such device.
Result<std::string> block_device_devname(const std::string& sys_root, DeviceNumber dev);

// "8:1" (a sysfs dev attribute) -> 8:1; nullopt when malformed.
std::optional<DeviceNumber> parse_device_number(const std::string& text);

}  // namespace detach

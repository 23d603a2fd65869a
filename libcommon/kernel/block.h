// Block devices as sysfs shows them: names, numbers, holders, partitions, loop backing files.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "model/snapshot.h"

namespace detach {

// Every block device under SYS_ROOT/class/block (falls back to SYS_ROOT/block), with holders and partitions.
std::vector<BlockDevice> read_block_devices(const std::string& sys_root);

// Every bound loop device. With live, LOOP_GET_STATUS64 on DEV_ROOT/NAME adds backing_dev and backing_inode.
std::vector<LoopDevice> read_loop_devices(const std::string& sys_root, const std::string& dev_root, bool live);

// "/dev/loop0" -> 7:0, through stat(2) of the node (devtmpfs: never calls into another filesystem).
Result<DeviceNumber> block_device_number(const std::string& path);

// Is the device claimed? open(O_EXCL) as mkfs does: true when EBUSY.
Result<bool> block_device_claimed(const std::string& path);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Block devices as users name them ("/dev/sdb", a /dev/disk/by-* symlink, LABEL=, UUID=, a symlink
// elsewhere), for tools that match what a user typed against a Snapshot. A stat under /dev never calls into
// another filesystem; anywhere else (a path on a dead FUSE or NFS mount would hang it) it runs bounded.
#pragma once

#include <string>

#include "base/result.h"
#include "base/unique_fd.h"
#include "model/mount.h"

namespace detach {

// The device NAME stands for: a /dev path (symlinks followed), or a LABEL=/UUID=/PARTLABEL=/PARTUUID= tag
// (libblkid), or another absolute path. ENOTBLK when it is no block device, EINVAL when it is no path nor a
// tag, ETIMEDOUT when its filesystem did not answer.
Result<DeviceNumber> resolve_block_device(const std::string& name);

// Does NAME stand for DEV?
bool names_device(const std::string& name, DeviceNumber dev);

// A block device a user named, resolved once: its number, and the node every later open goes through (so
// that a path on a hung filesystem is looked up once, bounded, and never opened).
struct DeviceNode {
  std::string name;  // as the user gave it: "/dev/sdb", "LABEL=data", "/srv/links/disk"
  DeviceNumber dev;
  std::string node;  // DEV_ROOT/DEVNAME as devtmpfs names it: "/dev/loop3p1", "/dev/dm-0"
};

// NAME as resolve_block_device takes it, or a relative path (looked up bounded, like any path outside /dev).
// ENOENT also when DEV_ROOT has no node for the device.
Result<DeviceNode> find_device_node(const std::string& name, const std::string& sys_root = "/sys",
                                    const std::string& dev_root = "/dev");

// Claimed or not, right now (open O_EXCL, as mkfs does): true when EBUSY; EACCES, EPERM ... as errors.
Result<bool> device_claimed(const DeviceNode& device);

// Claims the device (O_EXCL, close-on-exec) for as long as the fd is kept: between a check and the start of
// mkfs nothing else can claim it. EBUSY when something holds it already.
Result<UniqueFd> claim_device(const DeviceNode& device);

// False when NAME is a block device nothing claims (an O_EXCL open succeeds): no filesystem, attached or
// detached, swap area or holder uses it. True when it is claimed or that cannot be told.
bool device_may_be_claimed(const std::string& name);

}  // namespace detach

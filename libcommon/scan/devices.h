// Block devices as users name them ("/dev/sdb", a /dev/disk/by-* symlink, LABEL=, UUID=, a symlink
// elsewhere), for tools that match what a user typed against a Snapshot. A stat under /dev never calls into
// another filesystem; anywhere else (a path on a dead FUSE or NFS mount would hang it) it runs bounded.
#pragma once

#include <string>

#include "base/result.h"
#include "model/mount.h"

namespace detach {

// The device NAME stands for: a /dev path (symlinks followed), or a LABEL=/UUID=/PARTLABEL=/PARTUUID= tag
// (libblkid), or another absolute path. ENOTBLK when it is no block device, EINVAL when it is no path nor a
// tag, ETIMEDOUT when its filesystem did not answer.
Result<DeviceNumber> resolve_block_device(const std::string& name);

// Does NAME stand for DEV?
bool names_device(const std::string& name, DeviceNumber dev);

// False when NAME is a block device nothing claims (an O_EXCL open succeeds): no filesystem, attached or
// detached, swap area or holder uses it. True when it is claimed or that cannot be told.
bool device_may_be_claimed(const std::string& name);

}  // namespace detach

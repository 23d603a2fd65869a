// SPDX-License-Identifier: GPL-2.0-or-later
// Where a mkfs command takes its devices: the target, external journal, log and realtime devices, every
// device of a btrfs, and which option values only look like devices (a label that is a /dev path). Read the
// way each mkfs's own getopt reads its arguments (GNU permutation, clusters, long-option prefixes).
#pragma once

#include <string>
#include <vector>

namespace detach::guard {

struct MkfsDevice {
  std::string arg;   // as written: "/dev/sdb", "LABEL=log"
  std::string role;  // "target", "journal device", "log device", "realtime device"
};

struct MkfsDevices {
  std::string program;              // "mkfs.ext4" (for `mkfs -t ext4`: "mkfs.ext4" too)
  std::vector<MkfsDevice> devices;  // where the command surely writes (known mkfs, every option known)
  // A mkfs we do not know, or an argument its getopt would not take: we cannot tell devices from values,
  // so every argument (and every value of a key=value list) that may name a device is to be checked.
  bool known = true;
  std::vector<std::string> maybe;
  std::string unknown_why;   // "unknown option '--frob'", "mkfs.foo is not a mkfs mkfs-guard knows"
  std::string creates_file;  // mkfs.fat -C: the target is an image file it creates, no device
};

// Parses COMMAND (argv of the mkfs, program first). Knows mke2fs (mkfs.ext2/3/4), mkfs.xfs, mkfs.btrfs,
// mkfs.fat (mkfs.vfat, mkfs.msdos, mkdosfs), mkswap, and util-linux's `mkfs [-t TYPE]` front end.
MkfsDevices mkfs_devices(const std::vector<std::string>& command);

}  // namespace detach::guard

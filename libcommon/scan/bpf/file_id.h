// SPDX-License-Identifier: GPL-2.0-or-later
// A file as the BPF programs report it (records.h: struct detach_bpf_file_id), in the snapshot's terms.
// Private to libcommon/scan.
#pragma once

#include <cstdint>

#include "kernel/bpf/records.h"
#include "model/mount.h"
#include "scan/scan_state.h"

namespace detach::scan {

// The kernel's own dev_t (major << 20 | minor), as the programs read it.
inline DeviceNumber from_kernel_dev(std::uint32_t dev) {
  return DeviceNumber{dev >> 20, dev & 0xfffffU};
}

// FILE's mount (of the snapshot's id kind KIND), device and inode.
inline ExactFile exact_file(const detach_bpf_file_id& file, IdKind kind) {
  return ExactFile{kind == IdKind::Unique ? file.mnt_id_unique : file.mnt_id, from_kernel_dev(file.dev),
                   file.ino};
}

}  // namespace detach::scan

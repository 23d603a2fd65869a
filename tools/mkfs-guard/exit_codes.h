// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard's exit codes, decided in one place. Checking devices, util-linux's small numbers; running a
// mkfs, numbers no mkfs uses for itself (they all exit 1 on failure, mke2fs and mkfs.xfs also 8 and 4 ...),
// in the range coreutils' wrappers (timeout, env, nice) use, so that "busy, mkfs not run" is never mistaken
// for mkfs's own failure.
#pragma once

namespace detach::guard {

enum class Outcome {
  Free,        // every device is free (checking; running a mkfs, the mkfs ran and its status is passed on)
  Busy,        // a device is busy, unusable (unbound loop, size 0) or became busy: explained, mkfs not run
  Usage,       // bad command line, no such device, not a block device, a mkfs command without a device
  Error,       // anything else: the scan failed, a device could not be checked, stdout could not be written
  ExecFailed,  // running a mkfs: it was found but could not be executed (EACCES, ENOEXEC ...)
  NotFound,    // running a mkfs: no such command
};

// Checking: 0 free, 1 busy, 2 usage, 4 other errors.
// Running a mkfs: its own status; 124 busy (mkfs not run), 125 usage or other errors (mkfs not run),
// 126 mkfs could not be executed, 127 mkfs not found.
constexpr int exit_code(Outcome outcome, bool wrapping) {
  switch (outcome) {
    case Outcome::Free:
      return 0;
    case Outcome::Busy:
      return wrapping ? 124 : 1;
    case Outcome::Usage:
      return wrapping ? 125 : 2;
    case Outcome::Error:
      return wrapping ? 125 : 4;
    case Outcome::ExecFailed:
      return 126;
    case Outcome::NotFound:
      break;
  }
  return 127;
}

}  // namespace detach::guard

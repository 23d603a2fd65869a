// mkfs-guard's exit codes, decided in one place.
#pragma once

namespace detach::guard {

enum class Outcome {
  Free,   // the device is free (without a command)
  Busy,   // the device is busy: explained, the command (if any) not run
  Usage,  // bad command line
  Error,  // anything else: no such device, the scan failed, stdout could not be written, exec failed
};

// 0 free, 1 busy, 2 usage, 4 other errors. A command that ran passes its own exit code through (exec).
constexpr int exit_code(Outcome outcome) {
  switch (outcome) {
    case Outcome::Free:
      return 0;
    case Outcome::Busy:
      return 1;
    case Outcome::Usage:
      return 2;
    case Outcome::Error:
      break;
  }
  return 4;
}

}  // namespace detach::guard

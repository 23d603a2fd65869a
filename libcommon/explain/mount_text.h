// SPDX-License-Identifier: GPL-2.0-or-later
// A MountReport for people: what follows util-linux's "umount: /mnt/x: target is busy.", and what a umount
// says when the filesystem it unmounted lives on. Lines without the tool's prefix and without newlines;
// control characters in paths and names are shown as \xNN, so that each stays on its line.
#pragma once

#include <string>
#include <vector>

#include "explain/mount.h"

namespace detach {

struct MountTextOptions {
  // Every pinner named (no "and N more"), and a line for each with its user and unit.
  bool verbose = false;
  // The tool goes on to wait for the filesystem's end (umount --wait): said instead of how to.
  bool waiting = false;
  // How long umount --wait waited ("5 seconds", in the user's language): said when it gave up.
  std::string waited;
};

// When survival_text speaks.
enum class Survival {
  AfterLazyUmount,   // umount --lazy just detached the mount
  AfterPlainUmount,  // a plain umount just removed the mount
  WaitTimedOut,      // umount --wait gave up
};

// Why the mount is busy, one reason a line, the caller's own shell first ("your shell, pid 812 (bash), is
// inside /mnt/x: cd out of it"), each saying what to do about it where there is one thing to do.
std::vector<std::string> busy_text(const Snapshot& snapshot, const MountReport& report,
                                   const MountTextOptions& options = {});

// After the mount REPORT is about was unmounted (explain_survival): why its filesystem lives on. The first
// line follows "TARGET: " ("lazily unmounted, but its filesystem lives on, pinned by 1234 (sleep) cwd"), the
// others are said below it. Empty when nothing keeps the filesystem, or only another mount of it in the same
// namespace (a bind mount: it lives on as the user can see).
std::vector<std::string> survival_text(const Snapshot& snapshot, const MountReport& report, Survival when,
                                       const MountTextOptions& options = {});

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Where /proc shows a pin: its task's directory, and the link the pin was read through.
#pragma once

#include <string>

#include "model/pin.h"

namespace detach {

// PROC_ROOT/PID, or PROC_ROOT/PID/task/TID for a thread with tables of its own (its fds, cwd and mappings are
// there, not under the process).
std::string task_dir(const std::string& proc_root, const Pin& pin);

// The /proc link a task pin is read through: cwd, root, exe or fd/N under task_dir. Empty for a kind with
// none (an mmap's map_files entry is named by the address range, which the pin does not keep).
std::string pin_link(const std::string& proc_root, const Pin& pin);

}  // namespace detach

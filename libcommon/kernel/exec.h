// Replacing the current process with a command (mkfs-guard runs mkfs only once the device is known free).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace detach {

// execvp(ARGV[0], ARGV): returns only when the exec failed, with why.
Error exec_command(const std::vector<std::string>& argv);

}  // namespace detach

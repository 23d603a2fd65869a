// SPDX-License-Identifier: GPL-2.0-or-later
// util-linux's __sanitize_env(): a setuid tool (mount, umount) removes variables that could steer what it
// runs or loads (PATH, LD_*, IFS, ...) and locale variables with a slash, before anything else; it puts them
// back when it drops its privileges and goes on as the user.
#pragma once

#include <string>
#include <vector>

namespace cli {

class RemovedEnvironment {
 public:
  // Sets the removed variables again, once (util-linux's env_list_setenv: an existing value is kept).
  void restore();

 private:
  friend RemovedEnvironment sanitize_environment();
  std::vector<std::string> entries_;  // "NAME=value", as they were
};

// Removes them from the environment (util-linux's lists, in its order) and returns them.
RemovedEnvironment sanitize_environment();

}  // namespace cli

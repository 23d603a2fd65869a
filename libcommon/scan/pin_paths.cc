// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/pin_paths.h"

namespace detach {

std::string task_dir(const std::string& proc_root, const Pin& pin) {
  std::string dir = proc_root + "/" + std::to_string(pin.pid);
  if (pin.tid != 0 && pin.tid != pin.pid) dir += "/task/" + std::to_string(pin.tid);
  return dir;
}

std::string pin_link(const std::string& proc_root, const Pin& pin) {
  switch (pin.kind) {
    case PinKind::Cwd:
      return task_dir(proc_root, pin) + "/cwd";
    case PinKind::Root:
      return task_dir(proc_root, pin) + "/root";
    case PinKind::Exe:
      return task_dir(proc_root, pin) + "/exe";
    case PinKind::Fd:
      return task_dir(proc_root, pin) + "/fd/" + std::to_string(pin.fd);
    default:
      return {};
  }
}

}  // namespace detach

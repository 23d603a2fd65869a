// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/task_pin_rules.h"

#include <algorithm>

namespace detach::scan {

namespace {

// One more fd of a range: same task, mount, device and access, the next number, nothing of its own to show.
bool extends_range(const Pin& last, const Pin& pin) {
  return last.kind == PinKind::Fd && pin.kind == PinKind::Fd && last.pid == pin.pid && last.tid == pin.tid &&
         last.mount == pin.mount && last.dev == pin.dev && last.rdev == pin.rdev &&
         last.access == pin.access && last.detailed == pin.detailed && pin.path.empty() &&
         std::max(last.fd, last.fd_last) + 1 == pin.fd;
}

}  // namespace

Access access_from_link_mode(mode_t mode) {
  return access_from_fmode(mode & S_IRUSR, mode & S_IWUSR);
}

Access access_from_fmode(bool read, bool write) {
  return read && write ? Access::ReadWrite : write ? Access::Write : read ? Access::Read : Access::Unknown;
}

bool TaskPinRules::wants_detail(const Pin& pin) const {
  if (pin.rdev != DeviceNumber{}) return true;  // a block device held open: a reason it may be busy
  const Mount* m = state_.snapshot.mount(pin.mount);
  // Not listed: a detached mount (or an internal one, sorted out later): always worth the detail.
  if (m == nullptr) return !state_.internal_mounts.count(pin.mount);
  return !state_.options.detail_pins_of || state_.options.detail_pins_of(*m);
}

TaskPinRules::Detail TaskPinRules::detail_for(const Pin& pin) {
  if (!wants_detail(pin)) return {};
  const bool unlisted = state_.snapshot.mount(pin.mount) == nullptr;
  // Without detached_details, of a process's fds on a mount no namespace lists only the first gets details:
  // its path is what tells a detached mount from a kernel-internal one.
  bool probe = false;
  if (!state_.options.detached_details && unlisted && pin.kind == PinKind::Fd && pin.rdev == DeviceNumber{}) {
    if (!unlisted_seen_.insert(pin.mount).second) return {};
    probe = true;
  }
  const bool path = probe || pin.kind != PinKind::Fd || state_.options.fd_paths ||
                    pin.rdev != DeviceNumber{} || (unlisted && unlisted_seen_.insert(pin.mount).second);
  return Detail{true, path};
}

bool TaskPinRules::settled(MountKey mount) const {
  return unlisted_seen_.count(mount) || state_.internal_mounts.count(mount) || state_.snapshot.mount(mount);
}

bool TaskPinRules::object_mount(MountKey mount) const {
  return mount != 0 &&
         (mount == state_.nsfs_mount || mount == state_.sockfs_mount || mount == state_.anon_inode_mount);
}

void TaskPinRules::push(std::vector<Pin>& pins, Pin pin) const {
  if (!state_.options.fd_paths && !pins.empty() && !object_mount(pin.mount) &&
      extends_range(pins.back(), pin)) {
    pins.back().fd_last = pin.fd;
    return;
  }
  pins.push_back(std::move(pin));
}

}  // namespace detach::scan

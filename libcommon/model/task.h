// SPDX-License-Identifier: GPL-2.0-or-later
// What a pinner is, for people: pid, command, user, and the unit or container scope it runs in.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace detach {

struct Task {
  pid_t pid = 0;
  std::string command;  // /proc/PID/comm
  uid_t uid = 0;        // real uid from /proc/PID/status
  std::string user;     // name from the passwd database, else the number
  std::string cgroup;   // the unified (0::) cgroup path
  std::string
      unit;  // systemd unit or container scope derived from the cgroup ("ssh.service", "docker-ab12.scope")
  std::uint64_t mnt_ns_inode = 0;
  std::uint64_t start_time = 0;  // /proc/PID/stat starttime: a pid reused later has another; 0 unknown
  // Who /proc/PID belongs to: the effective uid while the task is dumpable, else root. What psmisc's fuser
  // names as USER.
  uid_t owner = 0;
};

// "ssh.service" from "/system.slice/ssh.service"; the last .service/.scope/.slice component wins.
std::string unit_from_cgroup(const std::string& cgroup_path);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/net_namespace.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>

#include <thread>

namespace detach {
namespace {

std::string task_net_namespace_path(const std::string& proc_root, int pid) {
  return proc_root + "/" + std::to_string(pid) + "/ns/net";
}

}  // namespace

Result<UniqueFd> open_task_net_namespace(const std::string& proc_root, int pid) {
  const std::string path = task_net_namespace_path(proc_root, pid);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail_errno("open", path);
  return fd;
}

std::uint64_t task_net_namespace_inode(const std::string& proc_root, int pid) {
  struct stat st {};
  return ::stat(task_net_namespace_path(proc_root, pid).c_str(), &st) == 0 ? st.st_ino : 0;
}

Status in_net_namespace(int netns_fd, const std::function<void()>& body) {
  Status entered = fail(EINVAL, "setns", "net");
  std::thread inside([&entered, &body, netns_fd] {
    if (::setns(netns_fd, CLONE_NEWNET) != 0) {
      entered = fail_errno("setns", "net");
      return;
    }
    entered = {};
    body();
  });
  inside.join();
  return entered;
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/net_namespace.h"

#include <fcntl.h>
#include <linux/sockios.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

#include "kernel/pidfd.h"

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

Result<UniqueFd> open_socket_net_namespace(int pid, int fd) {
  auto process = open_pidfd(pid);
  if (!process) return tl::unexpected(process.error());
  const std::string what = std::to_string(pid) + " fd " + std::to_string(fd);
  // Through syscall(), as open_pidfd: glibc 2.36's wrappers cannot be linked from C++.
  UniqueFd socket(static_cast<int>(::syscall(SYS_pidfd_getfd, process->get(), fd, 0)));
  if (!socket) return fail_errno("pidfd_getfd", what);
  UniqueFd ns(::ioctl(socket.get(), SIOCGSKNS));
  if (!ns) return fail_errno("ioctl SIOCGSKNS", what);
  return ns;
}

Result<UniqueFd> open_net_namespace_of_socket(const std::string& proc_root, int pid, int fd) {
  Result<UniqueFd> own = open_socket_net_namespace(pid, fd);
  return own ? std::move(own) : open_task_net_namespace(proc_root, pid);
}

std::uint64_t namespace_inode(int ns_fd) {
  struct stat st {};
  return ::fstat(ns_fd, &st) == 0 ? st.st_ino : 0;
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

// SPDX-License-Identifier: GPL-2.0-or-later
// Kernel-internal mounts (pipefs, sockfs, anon_inodefs, nsfs, pidfs, the shmem mount behind memfd and shared
// anonymous mappings) are listed by no namespace, like a detached mount. They are singletons, so making one
// object of each kind here and asking for its mount id names them all.
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

#include "base/unique_fd.h"
#include "kernel/statx.h"
#include "scan/scan_state.h"

namespace detach::scan {

namespace {

// One object on each internal mount; the socket and the eventfd name the mounts the census looks at again
// (sockets, and the anonymous inodes io_uring rings are).
struct InternalObjects {
  std::vector<UniqueFd> others;
  UniqueFd socket;
  UniqueFd anon_inode;
};

InternalObjects make_internal_objects() {
  InternalObjects objects;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) == 0) {
    objects.others.emplace_back(pipe_fds[0]);
    objects.others.emplace_back(pipe_fds[1]);
  }
  objects.socket = UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  objects.anon_inode = UniqueFd(::eventfd(0, EFD_CLOEXEC));
  objects.others.emplace_back(::memfd_create("detach-probe", MFD_CLOEXEC));
  objects.others.emplace_back(static_cast<int>(::syscall(SYS_pidfd_open, ::getpid(), 0)));
  return objects;
}

Result<MountRef> mount_of_fd(int fd, bool unique) {
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  return mount_ref_at(AT_FDCWD, link.c_str(), unique);
}

}  // namespace

void learn_internal_mounts(ScanState& state) {
  if (!state.options.live) return;
  bool unique = state.snapshot.id_kind == IdKind::Unique;
  InternalObjects objects = make_internal_objects();
  for (const UniqueFd& object : objects.others) {
    if (!object) continue;
    if (auto ref = mount_of_fd(object.get(), unique)) state.internal_mounts.insert(ref->mnt_id);
  }
  if (auto ref = objects.socket ? mount_of_fd(objects.socket.get(), unique) : fail(EBADF, "socket")) {
    state.internal_mounts.insert(ref->mnt_id);
    state.sockfs_mount = ref->mnt_id;
  }
  if (auto ref =
          objects.anon_inode ? mount_of_fd(objects.anon_inode.get(), unique) : fail(EBADF, "eventfd")) {
    state.internal_mounts.insert(ref->mnt_id);
    state.anon_inode_mount = ref->mnt_id;
  }
  // Fds on nsfs are namespace handles: they keep a namespace alive with no task in it.
  UniqueFd ns(::open((state.options.proc_root + "/self/ns/mnt").c_str(), O_RDONLY | O_CLOEXEC));
  if (ns) {
    if (auto ref = mount_of_fd(ns.get(), unique)) {
      state.internal_mounts.insert(ref->mnt_id);
      state.nsfs_mount = ref->mnt_id;
    }
  }
}

}  // namespace detach::scan

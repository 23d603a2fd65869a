// SPDX-License-Identifier: GPL-2.0-or-later
#include "fuse_daemon.h"

#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace itest {
namespace {

bool IsMountPoint(const std::string& path) {
  std::ifstream mountinfo("/proc/self/mountinfo");
  for (std::string line; std::getline(mountinfo, line);) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, target;
    fields >> id >> parent >> dev >> root >> target;
    if (target == path) return true;
  }
  return false;
}

}  // namespace

FuseDaemon::FuseDaemon(const std::string& mountpoint) : mountpoint_(mountpoint) {
  const std::uint64_t before = UniqueMountId(mountpoint);
  const std::string daemon_path = ToolPath("FUSE_HELLO");
  daemon_.emplace(ChildProcess::Spawn([&](const ReadyPipe& ready) {
    execl(daemon_path.c_str(), "fuse-hello", "-f", "-s", mountpoint.c_str(), static_cast<char*>(nullptr));
    ready.Fail("exec " + daemon_path);
  }));
  if (!WaitUntil([&] { return UniqueMountId(mountpoint) != before; }, 10s))
    throw std::runtime_error("FUSE daemon did not mount " + mountpoint);
  unique_id_ = UniqueMountId(mountpoint);
}

FuseDaemon::~FuseDaemon() {
  daemon_->Signal(SIGCONT);
  daemon_.reset();  // SIGKILL and reap: the connection aborts, nothing can wait on it any more
  if (IsMountPoint(mountpoint_)) umount2(mountpoint_.c_str(), MNT_DETACH);
}

void FuseDaemon::Stop() {
  daemon_->Signal(SIGSTOP);
  if (!WaitUntil([&] { return TaskState(daemon_->pid()) == 'T'; }, 5s))
    throw std::runtime_error("FUSE daemon did not stop");
}

void FuseDaemon::Detach() {
  if (umount2(mountpoint_.c_str(), MNT_DETACH) != 0) throw std::runtime_error("umount2 " + mountpoint_);
}

}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
#include "pinners.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

namespace itest {

ChildProcess SpawnChrooted(const std::string& dir) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    const int outside = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (outside < 0) ready.Fail("open /");
    if (chroot(dir.c_str()) != 0) ready.Fail("chroot");
    if (fchdir(outside) != 0) ready.Fail("fchdir");
    close(outside);
    SetCommOrFail(ready, "pin-root");
    ready.Signal();
    PauseForever();
  });
}

ChildProcess SpawnSleepFrom(const std::string& dir) {
  const std::string copy = dir + "/sleep";
  std::filesystem::copy_file("/usr/bin/sleep", copy);
  chmod(copy.c_str(), 0755);
  ChildProcess child = ChildProcess::Spawn([&](const ReadyPipe& ready) {
    execl(copy.c_str(), "sleep", "1000", static_cast<char*>(nullptr));
    ready.Fail("exec " + copy);
  });
  WaitForComm(child.pid(), "sleep");
  return child;
}

ChildProcess SpawnMapper(const std::string& file) {
  WriteFile(file, std::string(8192, 'm'));
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    const int fd = open(file.c_str(), O_RDONLY);
    if (fd < 0) ready.Fail("open " + file);
    if (mmap(nullptr, 8192, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED) ready.Fail("mmap");
    close(fd);
    SetCommOrFail(ready, "pin-mmap");
    ready.Signal();
    PauseForever();
  });
}

ChildProcess SpawnThreadWithOwnCwd(const std::string& dir) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    SetCommOrFail(ready, "pin-thread");
    std::thread pinner([&] {
      if (unshare(CLONE_FS) != 0) ready.Fail("unshare(CLONE_FS)");
      ChdirOrFail(ready, dir);
      ready.Signal(gettid());
      PauseForever();
    });
    PauseForever();
  });
}

ChildProcess SpawnThreadWithOwnFdTable(const std::string& file, int fd_number) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    SetCommOrFail(ready, "pin-thread-fds");
    std::thread pinner([&] {
      // Its own copy of the table (the ready pipe in it too), then a file only this copy holds.
      if (unshare(CLONE_FILES) != 0) ready.Fail("unshare(CLONE_FILES)");
      OpenAsFdOrFail(ready, file, O_RDWR | O_CREAT, fd_number);
      ready.Signal(gettid());
      PauseForever();
    });
    PauseForever();
  });
}

ChildProcess SpawnFdHolder(const std::vector<HeldFd>& fds) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    for (const HeldFd& held : fds) {
      if (held.fd == ready.write_fd()) ready.Fail("fd " + std::to_string(held.fd) + " is the ready pipe's");
      OpenAsFdOrFail(ready, held.file, held.flags, held.fd);
    }
    SetCommOrFail(ready, "pin-fds");
    ready.Signal();
    PauseForever();
  });
}

}  // namespace itest

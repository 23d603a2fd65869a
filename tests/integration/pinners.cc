// SPDX-License-Identifier: GPL-2.0-or-later
#include "pinners.h"

#include <fcntl.h>
#include <linux/io_uring.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
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

ChildProcess SpawnInDetachedBinfmtInstance(const std::string& dir) {
  ChildProcess child = ChildProcess::Spawn([&](const ReadyPipe& ready) {
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) ready.Fail("unshare");
    // Root of the new namespace is root outside it (a process may map its own ids).
    for (const auto& [file, text] :
         {std::pair{"/proc/self/setgroups", "deny"}, std::pair{"/proc/self/uid_map", "0 0 1"},
          std::pair{"/proc/self/gid_map", "0 0 1"}}) {
      const int fd = open(file, O_WRONLY | O_CLOEXEC);
      if (fd < 0 || write(fd, text, strlen(text)) < 0) ready.Fail(std::string("write ") + file);
      close(fd);
    }
    if (mount("binfmt_misc", dir.c_str(), "binfmt_misc", 0, nullptr) != 0) ready.Fail("mount binfmt_misc");
    ChdirOrFail(ready, dir);
    if (umount2(dir.c_str(), MNT_DETACH) != 0) ready.Fail("umount2 " + dir);
    ExecSleep(ready);
  });
  WaitForComm(child.pid(), "sleep");
  return child;
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

ChildProcess SpawnRingHolding(const std::string& file) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    io_uring_params params{};
    const int ring = static_cast<int>(syscall(__NR_io_uring_setup, 4, &params));
    if (ring < 0) ready.Fail("io_uring_setup");
    int fd = open(file.c_str(), O_RDONLY);
    if (fd < 0) ready.Fail("open " + file);
    if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_FILES, &fd, 1) != 0)
      ready.Fail("IORING_REGISTER_FILES");
    close(fd);
    SetCommOrFail(ready, "pin-ring");
    ready.Signal(ring);
    PauseForever();
  });
}

ChildProcess SpawnFileInFlight(const std::string& file) {
  return SpawnFilesInFlight({file});
}

ChildProcess SpawnFilesInFlight(const std::vector<std::string>& files, SocketsNetns netns) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    const int ours = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (ours < 0) ready.Fail("open /proc/self/ns/net");
    if (netns != SocketsNetns::Ours && unshare(CLONE_NEWNET) != 0) ready.Fail("unshare(CLONE_NEWNET)");
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) ready.Fail("socketpair");
    // The sockets keep their namespace alive, and stay in it.
    if (netns == SocketsNetns::OtherHeldFromOurs && setns(ours, CLONE_NEWNET) != 0) ready.Fail("setns back");
    close(ours);
    // Room for many queued messages (each charged to the sender until received): root may force it.
    const int room = 16 << 20;
    setsockopt(pair[0], SOL_SOCKET, SO_SNDBUFFORCE, &room, sizeof room);
    for (const std::string& file : files) {
      const int fd = open(file.c_str(), O_RDONLY);
      if (fd < 0) ready.Fail("open " + file);
      char byte = 'x';
      iovec iov{&byte, 1};
      alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      cmsghdr* c = CMSG_FIRSTHDR(&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
      if (sendmsg(pair[0], &msg, 0) != 1) ready.Fail("sendmsg");
      close(fd);
    }
    close(pair[0]);
    SetCommOrFail(ready, "pin-flight");
    ready.Signal(pair[1]);
    PauseForever();
  });
}

ChildProcess SpawnBoundSocket(const std::string& path) {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    const int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0) ready.Fail("socket");
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) ready.Fail("path too long: " + path);
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    if (bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) ready.Fail("bind " + path);
    if (listen(s, 1) != 0) ready.Fail("listen");
    SetCommOrFail(ready, "pin-sock");
    ready.Signal(s);
    PauseForever();
  });
}

}  // namespace itest

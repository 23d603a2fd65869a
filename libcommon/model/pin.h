// SPDX-License-Identifier: GPL-2.0-or-later
// One reference that keeps a mount (and so its superblock) alive.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "model/mount.h"

namespace detach {

enum class PinKind {
  // held by a task
  Cwd,
  Root,
  Exe,
  Fd,
  Mmap,
  // held by the kernel
  LoopBacking,  // a loop device whose backing file lives on the fs
  SwapFile,     // an active swap file on the fs
  OtherMount,   // another mount of the same superblock (bind mount, copy in another namespace)
  NsfsFd,       // an nsfs fd or bind mount that keeps a task-less mount namespace alive
};

bool is_task_pin(PinKind kind);
const char* pin_kind_name(PinKind kind);  // "cwd", "root", "exe", "fd", "mmap", "loop", "swap", ...

enum class Access { Unknown, Read, Write, ReadWrite };
const char* access_name(Access access);  // "read", "write", "read/write", ""

struct Pin {
  PinKind kind = PinKind::Fd;
  MountKey mount = 0;     // the mount it refers to (0 when only the superblock is known)
  DeviceNumber dev;       // st_dev of the pinned object
  std::uint64_t ino = 0;  // inode of the pinned object, when known
  DeviceNumber rdev;      // an fd on a block device node: the device it opens (0:0 otherwise)
  pid_t pid = 0;          // task pins: the process
  pid_t tid = 0;          // task pins: the thread, when the thread has its own fs or fd table; else 0
  int fd = -1;            // PinKind::Fd: the descriptor number (the first of a range)
  int fd_last = -1;       // PinKind::Fd: the last descriptor of a range of like fds; -1: just `fd`
  Access access = Access::Unknown;
  bool detailed = false;  // the scan read what a view prints of it (access mode; path where it matters)
  // readlink() of the pin; for a detached mount it is relative to the detached root and is not a host path.
  std::string path;
  // kernel pins: what holds it ("/dev/loop1", the swap file path, the other mount's target)
  std::string holder;

  // "cwd", "fd 7 (write)", "fd 3-1002 (read)", "mmap /lib/x.so", "loop /dev/loop1"
  std::string how() const;
  // How many descriptors a PinKind::Fd pin stands for: the scan merges consecutive fds of one task on one
  // mount with one access mode and no path into one pin, so that memory follows pinners, not fds.
  std::size_t fd_count() const { return fd_last > fd ? static_cast<std::size_t>(fd_last - fd) + 1 : 1; }
};

}  // namespace detach

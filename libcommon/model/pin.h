// SPDX-License-Identifier: GPL-2.0-or-later
// One reference that keeps a mount (and so its superblock) alive.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/i18n.h"
#include "model/mount.h"

namespace detach {

enum class PinKind {
  // held by a task, seen through its /proc links
  Cwd,
  Root,
  Exe,
  Fd,
  Mmap,
  // held by a task through a kernel object it holds open (fd: that object's descriptor)
  RingFile,  // a file registered with an io_uring ring (IORING_REGISTER_FILES); path from the ring's fdinfo
  BoundSocket,    // an AF_UNIX socket bound to a path on the fs (sock_diag gives the bound inode's device)
  FilesInFlight,  // files sent with SCM_RIGHTS waiting in a unix socket's queue (count): which ones, /proc
                  // does not say
  BpfLink,        // a BPF uprobe link on a file of the fs (holder: the link id)
  // held by the kernel
  LoopBacking,   // a loop device whose backing file lives on the fs
  SwapFile,      // an active swap file on the fs
  OtherMount,    // another mount of the same superblock (bind mount, copy in another namespace)
  NsfsFd,        // an nsfs fd or bind mount that keeps a task-less mount namespace alive
  OverlayLayer,  // an overlay mount whose layer (role: lowerdir, upperdir, workdir, datadir) is on the fs
  BackingFile,   // a filesystem mounted from an image file on the fs, without a loop device (erofs)
  BinfmtInterpreter,  // a binfmt_misc entry with flag F: the kernel holds its interpreter open
  Uprobe,             // a uprobe event (tracefs uprobe_events) on a file of the fs
  KernelBpfLink,      // a BPF uprobe link on a file of the fs that no process the scan read holds an fd of:
                      // pinned in a bpffs, or held by a process it could not read (holder: the link id)
};

// Held by a task (pid is set): what a process can drop by closing or exiting.
bool is_task_pin(PinKind kind);
// Read through a /proc/PID link (cwd, root, exe, fd, mmap): one that statx can follow to its mount.
bool is_proc_link_pin(PinKind kind);
const char* pin_kind_name(PinKind kind);  // "cwd", "root", "exe", "fd", "mmap", "io_uring", "loop", ...

enum class Access { Unknown, Read, Write, ReadWrite };
const char* access_name(Access access);  // "read", "write", "read/write", ""
// access_name in WORDS: the same English for a program, the user's language for a person.
const char* access_name(Access access, const Words& words);
// The word a kernel pin's holder is named with ("loop", "swap file", "mount", "nsfs") in WORDS.
const char* holder_kind_word(PinKind kind, const Words& words);

struct Pin {
  PinKind kind = PinKind::Fd;
  MountKey mount = 0;     // the mount it refers to (0 when only the superblock is known)
  DeviceNumber dev;       // st_dev of the pinned object
  std::uint64_t ino = 0;  // inode of the pinned object, when known
  DeviceNumber rdev;      // an fd on a block device node: the device it opens (0:0 otherwise)
  pid_t pid = 0;          // task pins: the process
  pid_t tid = 0;          // task pins: the thread, when the thread has its own fs or fd table; else 0
  int fd = -1;  // Fd: the descriptor number (the first of a range); RingFile, BoundSocket, FilesInFlight,
                // BpfLink: the descriptor of the ring, socket or link
  int fd_last = -1;  // PinKind::Fd: the last descriptor of a range of like fds; -1: just `fd`
  Access access = Access::Unknown;
  bool detailed = false;  // the scan read what a view prints of it (access mode; path where it matters)
  // readlink() of the pin; for a detached mount it is relative to the detached root and is not a host path.
  std::string path;
  // kernel pins: what holds it ("/dev/loop1", the swap file path, the other mount's target, the overlay's
  // mount point, the binfmt_misc entry, the uprobe event "uprobes/NAME"); BpfLink, KernelBpfLink: the link id
  std::string holder;
  // OverlayLayer: "lowerdir", "upperdir", "workdir", "datadir"; Uprobe: the probe as one writes it to
  // uprobe_events ("p:uprobes/x /bin/x:0x1234"); BpfLink, KernelBpfLink: the kind of link ("uprobe",
  // "uretprobe", "uprobe_multi", "uretprobe_multi"); BinfmtInterpreter: the mount point of the binfmt_misc
  // instance it is an entry of, as its mount namespace sees it
  std::string role;
  // OverlayLayer, BackingFile: the mount that holds the fs (the overlay, the erofs mount), when known
  MountKey via = 0;
  std::uint64_t count = 0;  // FilesInFlight: how many files wait in the queue
  // Its mount was found by the former mount point of a lazily detached mount (the journal's): the kernel
  // named the file by a path that led there.
  bool by_former_target = false;
  // Not placed: the path the kernel gave resolved to nothing now, so it is on no attached mount (after a lazy
  // unmount the kernel prints a path inside the detached tree).
  bool resolves_nowhere = false;

  // "cwd", "fd 7 (write)", "fd 3-1002 (read)", "mmap /lib/x.so", "loop /dev/loop1",
  // "io_uring fd 4 (registered file /x)", "socket fd 5 (2 files in flight)"; in English for a program (the
  // HOW cells, JSON), in the user's language for a person (sentences).
  std::string how(const Words& words) const;
  // The scan knows which filesystem it is on (a mount, or at least a device). An unplaced pin holds a file
  // the kernel names only by a path that resolves nowhere now, or not at all (files in flight): it MAY hold
  // any filesystem nothing else explains, and is said so, never as certain.
  bool placed() const { return mount != 0 || dev != DeviceNumber{}; }
  // How many descriptors a PinKind::Fd pin stands for: the scan merges consecutive fds of one task on one
  // mount with one access mode and no path into one pin, so that memory follows pinners, not fds.
  std::size_t fd_count() const { return fd_last > fd ? static_cast<std::size_t>(fd_last - fd) + 1 : 1; }
};

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Pinners that hold a filesystem in one particular way each, for the tests that go through every way a
// process can pin (pin_kinds, and the BPF source's differential tests in tests/bpf). Each is a child process
// of the test, killed and reaped by its owner.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "harness.h"

namespace itest {

// A fork of this binary that chroots into DIR but keeps its cwd outside it: only its root pins. Comm
// "pin-root".
ChildProcess SpawnChrooted(const std::string& dir);

// A sleep in a user namespace and a mount namespace of its own, standing in the binfmt_misc instance of that
// user namespace (6.7+), which it mounted at DIR and lazily detached: no mount table shows the instance;
// /proc/PID/cwd reaches it. Spawn it before mounting what its namespace must not copy.
ChildProcess SpawnInDetachedBinfmtInstance(const std::string& dir);

// /usr/bin/sleep copied into DIR and run from there: its exe (and its mapping) pin.
ChildProcess SpawnSleepFrom(const std::string& dir);

// A fork of this binary that maps FILE (written first, 8 KiB), closes the fd and waits: only the mapping
// pins. Comm "pin-mmap".
ChildProcess SpawnMapper(const std::string& file);

// A fork of this binary whose main thread stays outside while a second thread, with its own fs struct
// (unshare(CLONE_FS)), has its cwd in DIR. Comm "pin-thread"; its ready value is the thread's tid.
ChildProcess SpawnThreadWithOwnCwd(const std::string& dir);

// The same with its own fd table (unshare(CLONE_FILES)), holding FILE open as fd FD_NUMBER. Comm
// "pin-thread-fds"; its ready value is the thread's tid.
ChildProcess SpawnThreadWithOwnFdTable(const std::string& file, int fd_number);

// A fork of this binary holding each file of FDS open as the fd number given, with the flags given (FILE,
// FLAGS, FD; O_CREAT makes it). Comm "pin-fds". Numbers from 20 up stay clear of the ready pipe's.
struct HeldFd {
  std::string file;
  int flags = 0;
  int fd = -1;
};
ChildProcess SpawnFdHolder(const std::vector<HeldFd>& fds);

// A fork of this binary with a ring holding FILE as its registered file 0, its own fd on FILE closed. Ready
// value: the ring's fd.
ChildProcess SpawnRingHolding(const std::string& file);

// A fork of this binary that sends FILE over one end of a socket pair to the other and closes everything but
// the receiving end. Ready value: the receiving end's fd.
ChildProcess SpawnFileInFlight(const std::string& file);
// Which network namespace the sockets of SpawnFilesInFlight are made in, and which one their holder is in.
enum class SocketsNetns {
  Ours,               // made in ours, held from there
  Other,              // made in a network namespace of the child's own, which it stays in (a container's)
  OtherHeldFromOurs,  // made there, and the child then back in ours: not the namespace its holder is in
};
// The same with FILES, each in a message of its own, in order, the sockets made where NETNS says.
ChildProcess SpawnFilesInFlight(const std::vector<std::string>& files,
                                SocketsNetns netns = SocketsNetns::Ours);

// A fork of this binary with a unix socket bound to PATH (its cwd elsewhere). Ready value: the socket's fd.
ChildProcess SpawnBoundSocket(const std::string& path);

}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// AF_UNIX sockets as the kernel's sock_diag netlink interface lists them (one network namespace per dump):
// for a socket bound to a path, the device and inode of the socket file (UNIX_DIAG_VFS: the bound socket
// holds that path, and so its mount); and how much waits in its receive queue (UNIX_DIAG_RQLEN), which tells
// the sockets that may hold files in flight from those that cannot.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/mount.h"

namespace detach {

struct UnixDiagSocket {
  std::uint64_t inode = 0;  // the socket's own inode (socket:[INODE] of the fds that hold it)
  std::uint8_t type = 0;    // SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET
  bool bound = false;       // UNIX_DIAG_VFS came: the two fields below hold
  DeviceNumber vfs_dev;     // the filesystem of the socket file
  std::uint64_t vfs_ino = 0;
  bool has_rqueue = false;   // UNIX_DIAG_RQLEN came
  std::uint32_t rqueue = 0;  // bytes queued (pending connections for a listening socket)
  std::string name;          // the bound path as given to bind(), "@..." for an abstract one
  // Whether files sent with SCM_RIGHTS may wait in its queue: a stream socket with nothing queued has none
  // (a datagram or seqpacket message may carry files and no byte).
  bool may_hold_files_in_flight() const;
};

// Parses a sock_diag dump reply (a sequence of netlink messages); messages that are cut short, of another
// type or family, or malformed are skipped. DONE: set when the dump's NLMSG_DONE came.
std::vector<UnixDiagSocket> parse_unix_diag(std::string_view reply, bool& done);

// Whether the socket /proc link LINK (PROC/PID/fd/N) leads to is a unix socket: sockfs names a socket's
// protocol in its "system.sockprotoname" attribute ("UNIX-STREAM", "TCP" ...), asked without a dump.
bool is_unix_socket_link(const std::string& link);

// Dumps every AF_UNIX socket of the network namespace the calling thread is in.
Result<std::vector<UnixDiagSocket>> dump_unix_sockets();

// The same for the network namespace NETNS_FD refers to (an open /proc/PID/ns/net): a thread of its own
// enters it (setns needs CAP_SYS_ADMIN) and makes the netlink socket there; the caller's threads stay where
// they are.
Result<std::vector<UnixDiagSocket>> dump_unix_sockets_in(int netns_fd);

}  // namespace detach

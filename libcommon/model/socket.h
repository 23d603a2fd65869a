// SPDX-License-Identifier: GPL-2.0-or-later
// Sockets as the kernel's socket tables list them. A socket fd is a pin on the kernel's sockfs mount whose
// inode is the one these tables list, so they are what ties a port or a socket path to the processes holding
// it.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace detach {

// A TCP or UDP socket, over IPv4 or IPv6 (one line of /proc/net/{tcp,udp,tcp6,udp6}).
struct InetSocket {
  bool v6 = false;
  std::uint16_t local_port = 0;
  // The remote address in network byte order, as in in_addr (first 4 bytes) or in6_addr.
  std::array<std::uint8_t, 16> remote_address{};
  std::uint16_t remote_port = 0;
  std::uint64_t inode = 0;  // 0 for a socket being torn down (TIME_WAIT): no fd holds it
};

// A bound unix socket (a line of /proc/net/unix that has a path). PATH is as the binder gave it (relative to
// its working directory then, in its mount namespace) and unescaped; an abstract socket's starts with '@'.
struct UnixSocket {
  std::uint64_t inode = 0;
  std::string path;
};

}  // namespace detach

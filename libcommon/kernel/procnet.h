// SPDX-License-Identifier: GPL-2.0-or-later
// Sockets as /proc/net lists them (for the caller's network namespace): TCP and UDP over IPv4 and IPv6, and
// unix sockets. A socket fd is a pin on the kernel's sockfs mount whose inode is the one these tables list,
// so they are what ties a port or a socket path to the processes holding it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/mount.h"

namespace detach {

// One line of /proc/net/{tcp,udp,tcp6,udp6}.
struct InetSocket {
  bool v6 = false;
  std::uint16_t local_port = 0;
  // The remote address in network byte order, as in in_addr (first 4 bytes) or in6_addr.
  std::array<std::uint8_t, 16> remote_address{};
  std::uint16_t remote_port = 0;
  std::uint64_t inode = 0;  // 0 for a socket being torn down (TIME_WAIT): no fd holds it
};

// Parses the text of one table (V6: a tcp6/udp6 table, whose addresses have 32 hex digits). The header line,
// and any line that is not a socket entry (cut short, garbage, a field out of range), are skipped.
std::vector<InetSocket> parse_inet_sockets(const std::string& text, bool v6);

// PROC_ROOT/net/TABLE, TABLE one of "tcp", "udp", "tcp6", "udp6".
Result<std::vector<InetSocket>> read_inet_sockets(const std::string& proc_root, const std::string& table);

// One line of /proc/net/unix that has a path: a bound socket. PATH is as the binder gave it (relative to its
// working directory then, in its mount namespace) and unescaped; an abstract socket's starts with '@'.
struct UnixSocket {
  std::uint64_t inode = 0;
  std::string path;
};

// Parses /proc/net/unix; sockets without a path are left out. The kernel writes a path as it is, so a path
// holding a newline is cut there (the rest of it is no socket line and is skipped).
std::vector<UnixSocket> parse_unix_sockets(const std::string& text);

Result<std::vector<UnixSocket>> read_unix_sockets(const std::string& proc_root);

// The device number of sockfs (st_dev of any socket): what a socket fd's statx reports.
Result<DeviceNumber> socket_device();

}  // namespace detach

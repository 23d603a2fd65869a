// SPDX-License-Identifier: GPL-2.0-or-later
// Sockets as /proc/net lists them (for the caller's network namespace): TCP and UDP over IPv4 and IPv6, and
// unix sockets (model/socket.h).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "model/mount.h"
#include "model/socket.h"

namespace detach {

// Parses the text of one table (V6: a tcp6/udp6 table, whose addresses have 32 hex digits). The header line,
// and any line that is not a socket entry (cut short, garbage, a field out of range), are skipped.
std::vector<InetSocket> parse_inet_sockets(const std::string& text, bool v6);

// PROC_ROOT/net/TABLE, TABLE one of "tcp", "udp", "tcp6", "udp6".
Result<std::vector<InetSocket>> read_inet_sockets(const std::string& proc_root, const std::string& table);

// Parses /proc/net/unix; sockets without a path are left out. The kernel writes a path as it is, so a path
// holding a newline is cut there (the rest of it is no socket line and is skipped).
std::vector<UnixSocket> parse_unix_sockets(const std::string& text);

Result<std::vector<UnixSocket>> read_unix_sockets(const std::string& proc_root);

// The device number of sockfs (st_dev of any socket): what a socket fd's statx reports.
Result<DeviceNumber> socket_device();

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// What holds a port, a socket file or an exported directory besides the pins of a Snapshot: the socket tables
// of the caller's network namespace (a socket fd is a pin on sockfs, by the inode these tables list) and what
// the kernel NFS server exports (each export holds its directory's mount). fuser matches names against them.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "model/mount.h"
#include "model/socket.h"

namespace detach {

// PROC_ROOT/net/TABLE, TABLE one of "tcp", "udp", "tcp6", "udp6"; ENOENT when the kernel has no such table
// (IPv6 disabled).
Result<std::vector<InetSocket>> inet_sockets(const std::string& proc_root, const std::string& table);
// The unix sockets bound to a path (PROC_ROOT/net/unix).
Result<std::vector<UnixSocket>> bound_unix_sockets(const std::string& proc_root);
// The device socket fds are on (st_dev of any socket).
Result<DeviceNumber> sockfs_device();
// The exported paths (PROC_ROOT/fs/nfs/exports); ENOENT when no NFS server runs.
Result<std::vector<std::string>> nfs_exports(const std::string& proc_root);

}  // namespace detach

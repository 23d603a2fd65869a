// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/network.h"

#include "kernel/nfsd.h"
#include "kernel/procnet.h"

namespace detach {

Result<std::vector<InetSocket>> inet_sockets(const std::string& proc_root, const std::string& table) {
  return read_inet_sockets(proc_root, table);
}

Result<std::vector<UnixSocket>> bound_unix_sockets(const std::string& proc_root) {
  return read_unix_sockets(proc_root);
}

Result<DeviceNumber> sockfs_device() {
  return socket_device();
}

Result<std::vector<std::string>> nfs_exports(const std::string& proc_root) {
  return read_nfs_exports(proc_root);
}

}  // namespace detach

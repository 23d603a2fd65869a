// SPDX-License-Identifier: GPL-2.0-or-later
// Network namespaces: what a socket table, a sock_diag dump or a unix socket iterator lists is the network
// namespace of the thread that asks.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace detach {

// The network namespace task PID is in (PROC_ROOT/PID/ns/net), opened.
Result<UniqueFd> open_task_net_namespace(const std::string& proc_root, int pid);
// Its inode (as "net:[INODE]" names it); 0 when it cannot be read.
std::uint64_t task_net_namespace_inode(const std::string& proc_root, int pid);

// The network namespace of socket FD of process PID, opened: the one the socket was made in, which need not
// be the process's own (a socket received over a unix socket, or made before a setns). pidfd_getfd() takes a
// copy of the socket (Linux 5.6+, and ptrace access to PID), and SIOCGSKNS names its namespace.
Result<UniqueFd> open_socket_net_namespace(int pid, int fd);

// The network namespace socket FD of PID belongs to, as open_socket_net_namespace gives it; where that cannot
// be had (before Linux 5.6, or without ptrace access), PID's own (PROC_ROOT/PID/ns/net), which is the
// socket's unless the socket was passed on or made before a setns.
Result<UniqueFd> open_net_namespace_of_socket(const std::string& proc_root, int pid, int fd);

// The inode of an open namespace file NS_FD (as "net:[INODE]" names it); 0 when it cannot be read.
std::uint64_t namespace_inode(int ns_fd);

// Runs BODY in network namespace NETNS_FD (an open nsfs file). setns changes only the calling thread's
// namespace: BODY runs on a thread of its own, which enters the namespace first, and ends with it. Fails, and
// BODY does not run, when the namespace cannot be entered.
Status in_net_namespace(int netns_fd, const std::function<void()>& body);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/bpf/files_in_flight.h"

#include <unistd.h>

#include <map>

#include "kernel/bpf/records.h"
#include "kernel/net_namespace.h"
#include "scan/bpf/file_id.h"

namespace detach::scan {
namespace {

// The network namespaces other than this process's that the sockets the census counted files in flight in
// belong to, each by its inode: opened, or why it could not be. A socket is listed by the iterator of the
// namespace it was made in: its own (SIOCGSKNS on a copy of it), which is not always its holder's (a socket
// received from a container, or made before a setns). Where a copy cannot be had (before Linux 5.6), the
// holder's namespace stands in.
std::map<std::uint64_t, Result<UniqueFd>> other_network_namespaces(const ScanState& state) {
  const std::string& proc_root = state.options.proc_root;
  const std::uint64_t ours = task_net_namespace_inode(proc_root, ::getpid());
  std::map<std::uint64_t, Result<UniqueFd>> out;
  for (const InFlightSocket& socket : state.in_flight_sockets) {
    const Pin& holder = state.snapshot.pins[socket.pin];
    Result<UniqueFd> ns = open_net_namespace_of_socket(proc_root, holder.pid, holder.fd);
    const std::uint64_t inode =
        ns ? namespace_inode(ns->get()) : task_net_namespace_inode(proc_root, holder.pid);
    if (inode != 0 && inode != ours) out.try_emplace(inode, std::move(ns));
  }
  return out;
}

}  // namespace

Result<ExactFilesInFlight> read_files_in_flight_bpf(const ScanState& state, const BpfIterators& iterators) {
  ExactFilesInFlight found;
  found.messages_read = DETACH_BPF_INFLIGHT_MESSAGES;
  found.files_read = DETACH_BPF_INFLIGHT_FILES;
  const std::function<void(const detach_bpf_inflight_file&)> take = [&](const detach_bpf_inflight_file& r) {
    if (r.flags & DETACH_BPF_INFLIGHT_TRUNCATED)
      found.truncated.insert(r.socket_ino);
    else
      found.files.push_back({r.socket_ino, exact_file(r.file, state.snapshot.id_kind)});
  };
  if (Status read = iterators.for_each<detach_bpf_inflight_file>("unix_inflight", take); !read)
    return tl::unexpected(read.error());
  // A container's sockets: the iterator walks the network namespace it is opened in. Socket inodes are
  // unique across namespaces.
  for (const auto& [ns, netns] : other_network_namespaces(state)) {
    Status read = netns ? iterators.for_each<detach_bpf_inflight_file>("unix_inflight", take, netns->get())
                        : Status(tl::unexpected(netns.error()));
    if (!read) found.namespaces_unread.emplace_back(ns, read.error().message());
  }
  return found;
}

}  // namespace detach::scan

// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/bpf/files_in_flight.h"

#include <unistd.h>

#include <map>

#include "kernel/bpf/records.h"
#include "kernel/net_namespace.h"
#include "scan/bpf/file_id.h"

namespace detach::scan {
namespace {

// The network namespaces, other than this process's, of the sockets the census counted files in flight in:
// each by its inode, with a process in it.
std::map<std::uint64_t, pid_t> other_network_namespaces(const ScanState& state) {
  const std::uint64_t ours = task_net_namespace_inode(state.options.proc_root, ::getpid());
  std::map<std::uint64_t, pid_t> out;
  for (const InFlightSocket& socket : state.in_flight_sockets) {
    const pid_t pid = state.snapshot.pins[socket.pin].pid;
    if (const std::uint64_t ns = task_net_namespace_inode(state.options.proc_root, pid);
        ns != 0 && ns != ours)
      out.emplace(ns, pid);
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
  for (const auto& [ns, pid] : other_network_namespaces(state)) {
    auto netns = open_task_net_namespace(state.options.proc_root, pid);
    Status read = netns ? iterators.for_each<detach_bpf_inflight_file>("unix_inflight", take, netns->get())
                        : Status(tl::unexpected(netns.error()));
    if (!read) found.namespaces_unread.emplace_back(ns, read.error().message());
  }
  return found;
}

}  // namespace detach::scan

// SPDX-License-Identifier: GPL-2.0-or-later
// Pins a process holds through objects it has open, that no /proc link of it shows: the files registered with
// its io_uring rings, the paths its unix sockets are bound to, and the files in flight in its sockets'
// queues. The task scan found the rings' and sockets' fds; each is looked at once more here, only when it can
// hold something (an anonymous inode that is a ring, a socket the kernel says is bound or has a queue).

#include <unistd.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "base/unique_fd.h"
#include "kernel/io_uring.h"
#include "kernel/net_namespace.h"
#include "kernel/procfs.h"
#include "kernel/unix_diag.h"
#include "scan/kernel_paths.h"
#include "scan/pin_paths.h"
#include "scan/scan_state.h"

namespace detach::scan {
namespace {

// A registered file the ring lists, before its path is placed.
struct RingEntry {
  Pin pin;
  KernelPath path;
  unsigned slot = 0;  // in the ring's table
};

// The files of every io_uring ring among the fds on the anonymous-inode mount.
std::vector<RingEntry> ring_entries(ScanState& state) {
  std::vector<RingEntry> out;
  for (AnonInodeFd& ring_fd : anon_inode_fds(state, "anon_inode:[io_uring]")) {
    RingFiles ring = parse_ring_files(ring_fd.fdinfo);
    if (ring.files.size() < ring.count)
      state.snapshot.gaps.notes.push_back(
          {ScanNoteKind::RingFilesPartlyListed,
           {std::to_string(ring_fd.fd), std::to_string(ring_fd.pid), std::to_string(ring.files.size())},
           ring.count});
    for (RingFile& file : ring.files) {
      RingEntry& e = out.emplace_back();
      e.pin.kind = PinKind::RingFile;
      e.pin.pid = ring_fd.pid;
      e.pin.tid = ring_fd.tid;
      e.pin.fd = ring_fd.fd;
      e.pin.detailed = true;
      e.pin.path = file.path;
      e.path.path = std::move(file.path);
      e.slot = file.slot;
    }
  }
  return out;
}

// Where the ring's own table (the BPF source) says the file of ENTRY is: its mount, exactly, where the path
// its fdinfo gives may lead elsewhere or nowhere (a file of a lazily detached mount; find_detached_mounts
// took such mounts from the table too).
std::optional<PathPlace> ring_table_place(const ScanState& state, const RingEntry& entry) {
  if (!state.exact_ring_files) return std::nullopt;
  for (const ExactRingFile& f : *state.exact_ring_files) {
    if (f.pid != entry.pin.pid || f.tid != entry.pin.tid || f.fd != entry.pin.fd || f.slot != entry.slot)
      continue;
    return exact_place(state, f.file);
  }
  return std::nullopt;
}

void add_ring_pins(ScanState& state) {
  std::vector<RingEntry> entries = ring_entries(state);
  std::vector<KernelPath> paths;
  std::vector<std::size_t> by_path;  // the entries the ring's table did not place, in order
  std::vector<std::optional<PathPlace>> exact(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    exact[i] = ring_table_place(state, entries[i]);
    if (exact[i]) continue;
    paths.push_back(entries[i].path);
    by_path.push_back(i);
  }
  std::vector<PathPlace> places = place_kernel_paths(state, paths);
  for (std::size_t k = 0; k < by_path.size(); ++k) exact[by_path[k]] = std::move(places[k]);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    place_pin(entries[i].pin, *exact[i]);
    state.snapshot.pins.push_back(std::move(entries[i].pin));
  }
}

// The socket fds of the task scan, by socket inode (several fds, in several processes, may share one).
std::multimap<std::uint64_t, const Pin*> socket_fds(const ScanState& state) {
  std::multimap<std::uint64_t, const Pin*> out;
  const MountKey sockfs = state.sockfs_mount;
  if (sockfs == 0) return out;
  for (const Pin& pin : state.snapshot.pins)
    if (pin.kind == PinKind::Fd && pin.mount == sockfs) out.emplace(pin.ino, &pin);
  return out;
}

// The unix sockets found so far by inode, and the network namespaces dumped for them, by inode.
struct UnixSockets {
  std::map<std::uint64_t, UnixDiagSocket> by_inode;
  std::set<std::uint64_t> dumped;
};

// Every unix socket of network namespace NETNS_FD (inode NS) into FOUND, unless it was dumped already; a dump
// that fails is noted.
void dump_namespace(ScanState& state, int netns_fd, std::uint64_t ns, UnixSockets& found) {
  if (!found.dumped.insert(ns).second) return;
  auto there = dump_unix_sockets_in(netns_fd);
  if (!there) {
    state.snapshot.gaps.notes.push_back(
        {ScanNoteKind::UnixSocketsOfNetNsNotListed, {std::to_string(ns), there.error().message()}});
    return;
  }
  for (UnixDiagSocket& s : *there) found.by_inode.emplace(s.inode, std::move(s));
}

// Every unix socket the fds lead to: this network namespace's dump first, then one for each other network
// namespace a socket fd's holder is in (a container's), then one for each namespace a socket no dump listed
// names itself: a socket made in another namespace than its holder's (received from a container, or made
// before a setns). Only unix sockets are asked that (sockfs names each socket's protocol).
std::map<std::uint64_t, UnixDiagSocket> unix_sockets(ScanState& state,
                                                     const std::multimap<std::uint64_t, const Pin*>& fds) {
  const std::string& proc_root = state.options.proc_root;
  UnixSockets found;
  auto here = dump_unix_sockets();
  if (!here) {
    state.snapshot.gaps.notes.push_back({ScanNoteKind::UnixSocketsNotListed, {here.error().message()}});
    return {};
  }
  for (UnixDiagSocket& s : *here) found.by_inode.emplace(s.inode, std::move(s));
  found.dumped.insert(task_net_namespace_inode(proc_root, ::getpid()));
  // Sockets of other network namespaces: one process of each namespace leads to it.
  std::map<std::uint64_t, pid_t> namespaces;
  std::set<pid_t> asked;
  for (const auto& [inode, pin] : fds) {
    if (found.by_inode.count(inode) || !asked.insert(pin->pid).second) continue;
    if (std::uint64_t ns = task_net_namespace_inode(proc_root, pin->pid)) namespaces.emplace(ns, pin->pid);
  }
  for (const auto& [ns, pid] : namespaces) {
    if (found.dumped.count(ns)) continue;
    auto netns = open_task_net_namespace(proc_root, pid);
    if (netns) {
      dump_namespace(state, netns->get(), ns, found);
    } else {
      state.snapshot.gaps.notes.push_back(
          {ScanNoteKind::UnixSocketsOfNetNsNotListed, {std::to_string(ns), netns.error().message()}});
    }
  }
  for (const auto& [inode, pin] : fds) {
    if (found.by_inode.count(inode)) continue;
    if (!is_unix_socket_link(pin_link(proc_root, *pin))) continue;  // another protocol, or closed since
    auto netns = open_socket_net_namespace(pin->pid, pin->fd);
    if (netns)
      dump_namespace(state, netns->get(), namespace_inode(netns->get()), found);
    else
      state.snapshot.gaps.notes.push_back({ScanNoteKind::UnixSocketsNotListed, {netns.error().message()}});
  }
  return std::move(found.by_inode);
}

Pin socket_pin(PinKind kind, const Pin& fd) {
  Pin pin;
  pin.kind = kind;
  pin.pid = fd.pid;
  pin.tid = fd.tid;
  pin.fd = fd.fd;
  pin.detailed = true;
  return pin;
}

void add_socket_pins(ScanState& state) {
  const std::multimap<std::uint64_t, const Pin*> fds = socket_fds(state);
  if (fds.empty()) return;
  const std::map<std::uint64_t, UnixDiagSocket> sockets = unix_sockets(state, fds);
  std::vector<std::pair<Pin, std::uint64_t>> found;  // each with its socket's inode
  for (const auto& [inode, fd] : fds) {
    auto it = sockets.find(inode);
    if (it == sockets.end()) continue;  // not a unix socket (or one that closed since)
    const UnixDiagSocket& s = it->second;
    // A bound socket holds its path's mount: the kernel gives the file's device, not the mount.
    if (s.bound) {
      Pin pin = socket_pin(PinKind::BoundSocket, *fd);
      pin.dev = s.vfs_dev;
      pin.ino = s.vfs_ino;
      pin.path = s.name;
      found.emplace_back(std::move(pin), inode);
    }
    if (!s.may_hold_files_in_flight()) continue;
    auto text = read_file(task_dir(state.options.proc_root, *fd) + "/fdinfo/" + std::to_string(fd->fd));
    if (!text) {
      state.note_error(text.error().err);
      continue;
    }
    auto info = parse_fdinfo(*text);
    if (!info || !info->scm_fds || *info->scm_fds == 0) continue;
    // Which files, /proc does not say: a pin on no filesystem, that may hold any (the BPF source may tell
    // later: place_files_in_flight).
    Pin pin = socket_pin(PinKind::FilesInFlight, *fd);
    pin.count = *info->scm_fds;
    found.emplace_back(std::move(pin), inode);
  }
  for (auto& [pin, socket_ino] : found) {
    if (pin.kind == PinKind::FilesInFlight)
      state.in_flight_sockets.push_back(InFlightSocket{state.snapshot.pins.size(), socket_ino});
    state.snapshot.pins.push_back(std::move(pin));
  }
}

}  // namespace

namespace {

// Each fd on the anonymous-inode mount whose /proc link is LINK, to VISIT(pin, fd, task_dir), until VISIT
// returns false. A range pin stands for like fds (the rules keep these one pin each; a snapshot built
// otherwise may not).
template <class Visit>
void visit_anon_inode_fds(const ScanState& state, std::string_view link, Visit visit) {
  const MountKey anon = state.anon_inode_mount;
  if (anon == 0) return;
  for (const Pin& pin : state.snapshot.pins) {
    if (pin.kind != PinKind::Fd || pin.mount != anon) continue;
    const std::string dir = task_dir(state.options.proc_root, pin);
    for (int fd = pin.fd; fd <= std::max(pin.fd, pin.fd_last); ++fd) {
      auto target = read_link(dir + "/fd/" + std::to_string(fd));
      if (target && *target == link && !visit(pin, fd, dir)) return;
    }
  }
}

}  // namespace

std::vector<AnonInodeFd> anon_inode_fds(ScanState& state, std::string_view link) {
  std::vector<AnonInodeFd> out;
  visit_anon_inode_fds(state, link, [&](const Pin& pin, int fd, const std::string& dir) {
    auto text = read_file(dir + "/fdinfo/" + std::to_string(fd));
    if (text)
      out.push_back(AnonInodeFd{pin.pid, pin.tid, fd, std::move(*text)});
    else
      state.note_error(text.error().err);
    return true;
  });
  return out;
}

bool holds_anon_inode_fd(const ScanState& state, std::string_view link) {
  bool found = false;
  visit_anon_inode_fds(state, link, [&found](const Pin&, int, const std::string&) {
    found = true;
    return false;
  });
  return found;
}

void add_object_pins(ScanState& state) {
  if (!state.options.live || !state.options.task_pins) return;
  add_ring_pins(state);
  add_socket_pins(state);
}

}  // namespace detach::scan

// SPDX-License-Identifier: GPL-2.0-or-later
// Pins the kernel holds for probes and for handlers of executables, that no /proc link shows: the interpreter
// of a binfmt_misc entry with flag F (every binfmt_misc instance a mount table shows), the file of a uprobe
// event (tracefs uprobe_events, wherever tracefs is mounted), and the file of a BPF link of uprobe kind (held
// by the process that has the link's fd, or by the kernel alone). The kernel names each file by a path:
// place_kernel_paths matches them with care, and what it cannot place MAY hold a filesystem, said so. Where
// the BPF source read the binfmt_misc instances' own lists (ScanState::exact_binfmt), an interpreter is
// placed by the file the kernel holds instead, and the entries of an instance no attached mount shows (every
// mount of it lazily detached, or in a namespace no process of which the scan can enter) are named too.
#include <fcntl.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

#include "base/packed_strings.h"
#include "base/unique_fd.h"
#include "kernel/binfmt_misc.h"
#include "kernel/bounded.h"
#include "kernel/bpf_links.h"
#include "kernel/procfs.h"
#include "kernel/statx.h"
#include "kernel/uprobe_events.h"
#include "scan/bpf/source.h"
#include "scan/kernel_paths.h"
#include "scan/pin_paths.h"
#include "scan/scan_state.h"

namespace detach::scan {
namespace {

// A mount of binfmt_misc or tracefs, as the scan can reach it: through its mount point in our namespace, or
// under /proc/PID/root for a process of its own namespace.
struct Reachable {
  std::string dir;          // the path to open
  std::string mount_point;  // its mount point as its namespace sees it
  pid_t seen_from = 0;      // 0: our namespace
  MountKey key = 0;         // opened, it must be this very mount (not one mounted over it, not a chroot's)
};

// What to read from one of the mounts of one instance (the first of them that is reachable and is itself).
struct ReadRequest {
  enum class What { BinfmtEntries, UprobeEvents } what = What::BinfmtEntries;
  std::vector<Reachable> mounts;
  DeviceNumber instance{};  // binfmt_misc: the instance's superblock
};

struct ReadResult {
  int used = -1;      // index into the request's mounts; -1: none could be read
  std::string error;  // why not
  std::string text;   // uprobe_events, or the packed entry files
};

// The mounts of type FSTYPE attached in any namespace, by superblock (one instance each), each with the ways
// to reach it: ours first.
std::map<DeviceNumber, std::vector<Reachable>> reachable_mounts(const ScanState& state,
                                                                const std::string& fstype,
                                                                std::uint64_t own_ns) {
  std::map<std::uint64_t, pid_t> task_of_ns;
  for (const TaskRef& t : state.tasks) task_of_ns.emplace(t.ns_inode, t.pid);
  std::map<DeviceNumber, std::vector<Reachable>> out;
  for (const auto& [key, m] : state.snapshot.mounts) {
    if (!m.attached || m.fstype != fstype || m.target.empty() || m.target[0] != '/') continue;
    std::vector<Reachable>& ways = out[m.dev];
    if (m.ns_inode == own_ns && own_ns != 0) {
      ways.insert(ways.begin(), Reachable{m.target, m.target, 0, key});
      continue;
    }
    auto task = task_of_ns.find(m.ns_inode);
    if (task == task_of_ns.end()) continue;
    std::string root = state.options.proc_root + "/" + std::to_string(task->second) + "/root";
    ways.push_back(Reachable{root + m.target, m.target, task->second, key});
  }
  std::erase_if(out, [](const auto& entry) { return entry.second.empty(); });
  return out;
}

// In the bounded child: the first mount of REQUEST that opens as itself, read.
ReadResult read_one(const ReadRequest& request, bool unique_ids) {
  ReadResult out;
  for (std::size_t i = 0; i < request.mounts.size(); ++i) {
    const Reachable& r = request.mounts[i];
    UniqueFd dir(::open(r.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir) {
      out.error = fail_errno("open", r.dir).value().message();
      continue;
    }
    auto ref = mount_ref_at(dir.get(), "", unique_ids, AT_EMPTY_PATH);
    if (ref && ref->unique == unique_ids && ref->mnt_id != r.key) {
      out.error = r.dir + " is not the mount the mount table lists there";
      continue;
    }
    if (request.what == ReadRequest::What::UprobeEvents) {
      auto text = read_file_at(dir.get(), "uprobe_events");
      if (!text) {
        out.error = text.error().message();
        continue;
      }
      out.text = std::move(*text);
    } else {
      auto files = read_binfmt_files(dir.get());
      if (!files) {
        out.error = files.error().message();
        continue;
      }
      std::vector<std::string> flat;
      for (BinfmtFile& f : *files) {
        flat.push_back(std::move(f.name));
        flat.push_back(std::move(f.text));
      }
      out.text = pack_strings(flat);
    }
    out.used = static_cast<int>(i);
    out.error.clear();
    return out;
  }
  return out;
}

// Every request read in one killable child: the way to a mount point in another namespace may pass through a
// filesystem that does not answer.
std::vector<ReadResult> read_bounded(const ScanState& state, const std::vector<ReadRequest>& requests) {
  std::vector<ReadResult> out(requests.size());
  if (requests.empty()) return out;
  const bool unique_ids = state.snapshot.id_kind == IdKind::Unique;
  auto wire = run_bounded(
      [&requests, unique_ids]() -> Result<std::string> {
        std::vector<std::string> fields;
        for (const ReadRequest& request : requests) {
          ReadResult r = read_one(request, unique_ids);
          fields.push_back(std::to_string(r.used));
          fields.push_back(std::move(r.error));
          fields.push_back(std::move(r.text));
        }
        return pack_strings(fields);
      },
      std::max(std::chrono::duration_cast<std::chrono::milliseconds>(state.fs_deadline -
                                                                     std::chrono::steady_clock::now()),
               std::chrono::milliseconds(200)));
  std::optional<std::vector<std::string>> fields;
  if (wire) fields = unpack_strings(*wire);
  if (!fields || fields->size() != 3 * requests.size()) {
    const std::string why = wire ? "garbled answer from the reading child" : wire.error().message();
    for (ReadResult& r : out) r.error = why;
    return out;
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    out[i].used = std::atoi((*fields)[3 * i].c_str());
    out[i].error = std::move((*fields)[3 * i + 1]);
    out[i].text = std::move((*fields)[3 * i + 2]);
    if (out[i].used >= static_cast<int>(requests[i].mounts.size())) out[i].used = -1;
  }
  return out;
}

// A pin of the census, before its path is placed; or placed already, by the file the kernel holds.
struct Found {
  Pin pin;
  KernelPath path;
  std::optional<ExactFile> exact{};
};

// The BPF source's reading of the entry NAME of the binfmt_misc INSTANCE (whose entries are NAMES), if it has
// one: by its whole name, or by a cut name that only NAME, of all, begins with.
const ExactBinfmtEntry* exact_binfmt_entry(const ScanState& state, DeviceNumber instance,
                                           const std::string& name, const std::vector<std::string>& names) {
  if (!state.exact_binfmt) return nullptr;
  for (const ExactBinfmtEntry& e : state.exact_binfmt->entries) {
    if (e.instance != instance) continue;
    if (e.name == name) return &e;
    if (e.name_cut && name.starts_with(e.name) &&
        std::count_if(names.begin(), names.end(),
                      [&e](const std::string& n) { return n.starts_with(e.name); }) == 1)
      return &e;
  }
  return nullptr;
}

// What the kernel gave in full, or its first bytes marked as cut.
std::string shown_cut(const std::string& text, bool cut) {
  return cut ? text + "\u2026" : text;
}

void add_binfmt_pins(ScanState& state, const ReadRequest& request, const ReadResult& result,
                     std::vector<Found>& out) {
  if (result.used < 0) {
    state.snapshot.gaps.notes.push_back(
        {ScanNoteKind::BinfmtNotRead, {request.mounts.front().mount_point, result.error}});
    return;
  }
  const Reachable& where = request.mounts[static_cast<std::size_t>(result.used)];
  auto flat = unpack_strings(result.text);
  if (!flat) return;
  unsigned malformed = 0;
  std::vector<std::string> names;
  for (std::size_t i = 0; i + 1 < flat->size(); i += 2) names.push_back((*flat)[i]);
  for (std::size_t i = 0; i + 1 < flat->size(); i += 2) {
    std::optional<BinfmtEntry> entry = parse_binfmt_entry((*flat)[i + 1]);
    if (!entry) {
      ++malformed;
      continue;
    }
    // Without F the kernel opens the interpreter at each exec, and holds nothing in between.
    if (!entry->open_file) continue;
    Found& f = out.emplace_back();
    f.pin.kind = PinKind::BinfmtInterpreter;
    f.pin.holder = (*flat)[i];
    f.pin.role = where.mount_point;
    f.pin.path = entry->interpreter;
    f.pin.detailed = true;
    if (const ExactBinfmtEntry* exact = exact_binfmt_entry(state, request.instance, f.pin.holder, names))
      f.exact = exact->file;
    else
      f.path = KernelPath{.path = entry->interpreter, .seen_from = where.seen_from};
  }
  if (malformed > 0)
    state.snapshot.gaps.notes.push_back({ScanNoteKind::BinfmtMalformed, {where.mount_point}, malformed});
}

// The entries the BPF source read of the instances the census did not (READ: those it did): an instance
// whose mounts are all lazily detached, or in a namespace the scan has no process to enter through, or whose
// mount could not be read (UNREAD_AT: where it is mounted, which names the instance in its pins). The others'
// pins have no mount point to name their instance by (an empty role).
void add_unread_binfmt_pins(ScanState& state, const std::set<DeviceNumber>& read,
                            const std::map<DeviceNumber, std::string>& unread_at, std::vector<Found>& out) {
  if (!state.exact_binfmt) return;
  for (const ExactBinfmtEntry& e : state.exact_binfmt->entries) {
    if (read.contains(e.instance)) continue;
    Found& f = out.emplace_back();
    f.pin.kind = PinKind::BinfmtInterpreter;
    if (auto at = unread_at.find(e.instance); at != unread_at.end()) f.pin.role = at->second;
    f.pin.holder = shown_cut(e.name, e.name_cut);
    f.pin.path = shown_cut(e.interpreter, e.interpreter_cut);
    f.pin.detailed = true;
    f.exact = e.file;
  }
  for (const DeviceNumber& instance : state.exact_binfmt->truncated)
    if (!read.contains(instance))
      state.snapshot.gaps.notes.push_back({ScanNoteKind::BinfmtEntriesTruncated,
                                           {instance == DeviceNumber{} ? "?" : instance.str()},
                                           state.exact_binfmt->read_at_most});
}

void add_uprobe_pins(ScanState& state, const ReadRequest& request, const ReadResult& result,
                     std::vector<Found>& out) {
  if (result.used < 0) {
    state.snapshot.gaps.notes.push_back({ScanNoteKind::UprobeEventsNotRead, {result.error}});
    return;
  }
  const Reachable& where = request.mounts[static_cast<std::size_t>(result.used)];
  std::size_t skipped = 0;
  for (UprobeEvent& e : parse_uprobe_events(result.text, &skipped)) {
    Found& f = out.emplace_back();
    f.pin.kind = PinKind::Uprobe;
    f.pin.holder = e.name();
    f.pin.role = e.definition();
    f.pin.path = e.path;
    f.pin.detailed = true;
    f.path = KernelPath{.path = std::move(e.path), .seen_from = where.seen_from};
  }
  if (skipped > 0)
    state.snapshot.gaps.notes.push_back({ScanNoteKind::UprobeLinesMalformed, {where.mount_point}, skipped});
}

// A process's fd on a bpf link.
struct LinkFd {
  pid_t pid = 0;
  pid_t tid = 0;
  int fd = -1;
};

// The fds of bpf links among the task scan's fds on the anonymous-inode mount, by link id.
std::multimap<std::uint32_t, LinkFd> link_fds(ScanState& state) {
  std::multimap<std::uint32_t, LinkFd> out;
  for (const AnonInodeFd& link : anon_inode_fds(state, "anon_inode:bpf_link"))
    if (auto id = parse_bpf_link_id(link.fdinfo)) out.emplace(*id, LinkFd{link.pid, link.tid, link.fd});
  return out;
}

void add_bpf_link_pins(ScanState& state, std::uint64_t own_ns, std::vector<Found>& out) {
  BpfUprobeLinks links = read_bpf_uprobe_links();
  ScanGaps& gaps = state.snapshot.gaps;
  if (links.error)
    gaps.notes.push_back(
        {links.error->err == EPERM ? ScanNoteKind::BpfLinksNotReadNeedCap : ScanNoteKind::BpfLinksNotRead,
         {links.error->message()}});
  if (links.undescribed > 0) gaps.notes.push_back({ScanNoteKind::BpfLinksUndescribed, {}, links.undescribed});
  if (links.unreadable > 0) gaps.notes.push_back({ScanNoteKind::BpfLinksUnreadable, {}, links.unreadable});
  if (links.links.empty()) return;
  std::map<pid_t, std::uint64_t> ns_of;
  for (const TaskRef& t : state.tasks) ns_of.emplace(t.pid, t.ns_inode);
  const std::multimap<std::uint32_t, LinkFd> fds = link_fds(state);
  for (BpfUprobeLink& link : links.links) {
    Pin pin;
    pin.holder = std::to_string(link.id);
    pin.role = bpf_probe_kind_name(link.kind);
    pin.path = link.path;
    pin.detailed = true;
    auto [first, last] = fds.equal_range(link.id);
    if (first == last) {
      pin.kind = PinKind::KernelBpfLink;
      out.push_back(Found{pin, KernelPath{.path = link.path}});
      continue;
    }
    for (auto it = first; it != last; ++it) {
      const LinkFd& fd = it->second;
      Found& f = out.emplace_back(Found{pin, {}});
      f.pin.kind = PinKind::BpfLink;
      f.pin.pid = fd.pid;
      f.pin.tid = fd.tid;
      f.pin.fd = fd.fd;
      // The path is the holder's view of it (as given, or the kernel's d_path from a root that holder shares
      // when it is in our namespace).
      auto ns = ns_of.find(fd.pid);
      const bool elsewhere = ns != ns_of.end() && ns->second != own_ns;
      f.path = KernelPath{.path = link.path, .seen_from = elsewhere ? fd.pid : 0};
    }
  }
}

}  // namespace

void add_probe_pins(ScanState& state) {
  if (!state.options.live) return;
  const std::uint64_t own_ns = caller_mount_namespace(state.options.proc_root);
  std::vector<ReadRequest> requests;
  for (auto& [dev, mounts] : reachable_mounts(state, "binfmt_misc", own_ns))
    requests.push_back(ReadRequest{ReadRequest::What::BinfmtEntries, std::move(mounts), dev});
  // uprobe_events is one file for the whole system: any tracefs mount shows it.
  std::vector<Reachable> tracefs;
  for (auto& [dev, mounts] : reachable_mounts(state, "tracefs", own_ns))
    tracefs.insert(tracefs.end(), mounts.begin(), mounts.end());
  std::stable_partition(tracefs.begin(), tracefs.end(), [](const Reachable& r) { return r.seen_from == 0; });
  if (!tracefs.empty())
    requests.push_back(ReadRequest{ReadRequest::What::UprobeEvents, std::move(tracefs)});
  else
    state.snapshot.gaps.notes.push_back({ScanNoteKind::UprobeEventsNoTracefs, {}});

  std::vector<Found> found;
  std::vector<ReadResult> results = read_bounded(state, requests);
  // The instances' own lists, where BPF reads the task pins: they place what the paths above name.
  TaskPinSource::read_binfmt_entries(state);
  std::set<DeviceNumber> binfmt_read;
  std::map<DeviceNumber, std::string> binfmt_unread_at;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].what == ReadRequest::What::BinfmtEntries) {
      add_binfmt_pins(state, requests[i], results[i], found);
      if (results[i].used >= 0)
        binfmt_read.insert(requests[i].instance);
      else
        binfmt_unread_at.emplace(requests[i].instance, requests[i].mounts.front().mount_point);
    } else {
      add_uprobe_pins(state, requests[i], results[i], found);
    }
  }
  add_unread_binfmt_pins(state, binfmt_read, binfmt_unread_at, found);
  // Who holds a link is known from the task scan's fds only.
  if (state.options.task_pins) add_bpf_link_pins(state, own_ns, found);

  std::vector<KernelPath> paths;
  std::vector<std::size_t> looked_up;  // index into found of each path
  for (std::size_t i = 0; i < found.size(); ++i)
    if (!found[i].exact) {
      paths.push_back(found[i].path);
      looked_up.push_back(i);
    }
  std::vector<PathPlace> places = place_kernel_paths(state, paths);
  for (std::size_t j = 0; j < looked_up.size(); ++j) place_pin(found[looked_up[j]].pin, places[j]);
  for (Found& f : found) {
    if (f.exact) place_pin(f.pin, exact_place(state, *f.exact));
    state.snapshot.pins.push_back(std::move(f.pin));
  }
}

}  // namespace detach::scan

// SPDX-License-Identifier: GPL-2.0-or-later
// Task pins from the three iterators of kernel/bpf/task_pins.bpf.c, put in the order the /proc scan finds
// them (per process: cwd, root, exe, fds, mappings, then each thread with tables of its own) and through the
// same rules (task_pin_rules.h), so that a Snapshot does not depend on its source. The iterators give each
// fd's mount, device, inode and access mode; only a path a view prints is still read from /proc, as the /proc
// scan reads it.
#include "scan/bpf/task_pins.h"

#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "kernel/bpf/records.h"
#include "kernel/procfs.h"
#include "scan/bpf/file_id.h"
#include "scan/task_pin_rules.h"

namespace detach::scan {

namespace {

using Record = detach_bpf_task_pin;

PinKind kind_of(const Record& r) {
  switch (r.kind) {
    case DETACH_BPF_PIN_CWD:
      return PinKind::Cwd;
    case DETACH_BPF_PIN_ROOT:
      return PinKind::Root;
    case DETACH_BPF_PIN_EXE:
      return PinKind::Exe;
    case DETACH_BPF_PIN_MMAP:
      return PinKind::Mmap;
    default:
      return PinKind::Fd;
  }
}

// The /proc link a record stands for: what a path detail is read from, as the /proc scan reads it.
std::string proc_link(const ScanOptions& options, const Record& r, const std::string& mapping = {}) {
  std::string base = options.proc_root + "/" + std::to_string(r.tgid);
  if (r.tid != r.tgid) base += "/task/" + std::to_string(r.tid);
  switch (r.kind) {
    case DETACH_BPF_PIN_CWD:
      return base + "/cwd";
    case DETACH_BPF_PIN_ROOT:
      return base + "/root";
    case DETACH_BPF_PIN_EXE:
      return base + "/exe";
    case DETACH_BPF_PIN_MMAP:
      return base + "/map_files/" + mapping;
    default:
      return base + "/fd/" + std::to_string(r.fd);
  }
}

// /proc/PID/map_files names a mapping by its range, in lowercase hex without leading zeros.
std::string mapping_name(const detach_bpf_task_mapping& m) {
  char name[40];
  std::snprintf(name, sizeof name, "%" PRIx64 "-%" PRIx64, static_cast<std::uint64_t>(m.vm_start),
                static_cast<std::uint64_t>(m.vm_end));
  return name;
}

// A thread with an fs_struct or fd table of its own: its records, ruled once its process's leader is done.
struct ThreadRecords {
  std::vector<Record> fs;   // cwd, root
  std::vector<Record> fds;  // in fd order
};

// What one process holds, gathered while the iterators run.
struct ProcessPins {
  explicit ProcessPins(const ScanState& state) : rules(state) {}
  TaskPinRules rules;
  std::vector<Record> fs_exe;  // the leader's cwd, root, exe
  std::vector<Pin> fds;        // the leader's fds, ruled as they came (they come first in a process's order)
  std::vector<Pin> mmaps;      // one per mapped file, ruled as they came
  std::set<std::pair<MountKey, std::uint64_t>> mapped;
  std::map<pid_t, ThreadRecords> threads;
  // The mount of the last fd, when its details were settled before it came (TaskPinRules::settled): a next
  // fd on it needs no rule asked again.
  MountKey settled_mount = 0;
};

class Builder {
 public:
  explicit Builder(const ScanState& state)
      : state_(state),
        unique_(state.snapshot.id_kind == IdKind::Unique),
        threads_(state.options.threads),
        fd_paths_(state.options.fd_paths) {
    const pid_t self = ::getpid();
    for (const TaskRef& ref : state.tasks) {
      if (state.options.skip_self && ref.pid == self) continue;
      pids_.push_back(ref.pid);
      processes_.emplace_back(state);
    }
  }

  void add_fs_or_exe(const Record& r) {
    ProcessPins* p = process(r.tgid);
    if (p == nullptr) return;
    if (r.tid == r.tgid)
      p->fs_exe.push_back(r);
    else if (threads_)
      p->threads[static_cast<pid_t>(r.tid)].fs.push_back(r);
  }

  void add_fd(const Record& r) {
    ProcessPins* p = process(r.tgid);
    if (p == nullptr) return;
    if (r.tid != r.tgid) {
      if (threads_) p->threads[static_cast<pid_t>(r.tid)].fds.push_back(r);
      return;
    }
    if (extend_last_fd(*p, r)) return;
    const MountKey mount = unique_ ? r.mnt_id_unique : r.mnt_id;
    const bool settled = mount != 0 && p->rules.settled(mount);
    if (auto pin = ruled(*p, r)) p->rules.push(p->fds, std::move(*pin));
    p->settled_mount = settled ? mount : 0;
  }

  void add_mapping(const detach_bpf_task_mapping& m) {
    ProcessPins* p = process(m.pin.tgid);
    if (p == nullptr) return;
    std::optional<Pin> pin = pin_of(m.pin);
    // A library is mapped in several ranges: one pin per file is enough, and only that one gets details.
    if (!pin || !p->mapped.insert({pin->mount, pin->ino}).second) return;
    detail(*p, *pin, m.pin, mapping_name(m));
    p->mmaps.push_back(std::move(*pin));
  }

  // Every process's pins, in pid order, each in the /proc scan's order.
  void move_into(std::vector<Pin>& out) {
    for (ProcessPins& p : processes_) {
      for (const Record& r : p.fs_exe) push(p, out, r);
      std::move(p.fds.begin(), p.fds.end(), std::back_inserter(out));
      std::move(p.mmaps.begin(), p.mmaps.end(), std::back_inserter(out));
      for (const auto& [tid, thread] : p.threads) {
        for (const Record& r : thread.fs) push(p, out, r);
        for (const Record& r : thread.fds) push(p, out, r);
      }
    }
  }

 private:
  // Records come grouped by task, in tid order: the last process looked up is the next one asked for.
  ProcessPins* process(std::uint32_t tgid) {
    const auto pid = static_cast<pid_t>(tgid);
    if (last_ < pids_.size() && pids_[last_] == pid) return &processes_[last_];
    auto at = std::lower_bound(pids_.begin(), pids_.end(), pid);
    if (at == pids_.end() || *at != pid) return nullptr;  // not listed: started during the scan, or ourselves
    last_ = static_cast<std::size_t>(at - pids_.begin());
    return &processes_[last_];
  }

  // The next fd of the last pin's range, when nothing about it can differ from the last one (same mount, its
  // details settled before the last one came; no path, no block device): extended as TaskPinRules::push would
  // extend it, without building a pin or asking the rules. Most fds of a host take this way.
  bool extend_last_fd(ProcessPins& p, const Record& r) const {
    if (p.fds.empty() || p.settled_mount == 0 || fd_paths_ || r.rdev != 0) return false;
    Pin& last = p.fds.back();
    const MountKey mount = unique_ ? r.mnt_id_unique : r.mnt_id;
    if (mount != p.settled_mount || p.rules.object_mount(mount) || last.mount != mount ||
        last.kind != PinKind::Fd || last.rdev != DeviceNumber{} || last.dev != from_kernel_dev(r.dev) ||
        std::max(last.fd, last.fd_last) + 1 != r.fd)
      return false;
    if (last.detailed && last.access != access_of(r)) return false;
    last.fd_last = r.fd;
    return true;
  }

  static Access access_of(const Record& r) {
    return access_from_fmode(r.flags & DETACH_BPF_FILE_READ, r.flags & DETACH_BPF_FILE_WRITE);
  }

  std::optional<Pin> pin_of(const Record& r) const {
    Pin pin;
    pin.kind = kind_of(r);
    pin.pid = static_cast<pid_t>(r.tgid);
    pin.tid = r.tid == r.tgid ? 0 : static_cast<pid_t>(r.tid);
    pin.fd = r.fd;
    pin.mount = unique_ ? r.mnt_id_unique : r.mnt_id;
    if (pin.mount == 0) return std::nullopt;  // no id of the snapshot's kind: a statx would not match either
    pin.dev = from_kernel_dev(r.dev);
    pin.ino = r.ino;
    pin.rdev = from_kernel_dev(r.rdev);
    return pin;
  }

  void detail(ProcessPins& p, Pin& pin, const Record& r, const std::string& mapping = {}) {
    const TaskPinRules::Detail d = p.rules.detail_for(pin);
    if (!d.wanted) return;
    pin.detailed = true;
    if (d.path)
      if (auto path = read_link(proc_link(state_.options, r, mapping))) pin.path = std::move(*path);
    if (pin.kind == PinKind::Fd) pin.access = access_of(r);
  }

  std::optional<Pin> ruled(ProcessPins& p, const Record& r) {
    std::optional<Pin> pin = pin_of(r);
    if (pin) detail(p, *pin, r);
    return pin;
  }

  void push(ProcessPins& p, std::vector<Pin>& out, const Record& r) {
    if (auto pin = ruled(p, r)) p.rules.push(out, std::move(*pin));
  }

  const ScanState& state_;
  const bool unique_;
  const bool threads_;
  const bool fd_paths_;
  std::vector<pid_t> pids_;  // sorted, as state.tasks is
  std::vector<ProcessPins> processes_;
  std::size_t last_ = 0;
};

}  // namespace

Status scan_task_pins_bpf(ScanState& state, const BpfIterators& iterators) {
  Builder builder(state);
  Status read =
      iterators.for_each<Record>("task_fs_and_exe", [&](const Record& r) { builder.add_fs_or_exe(r); });
  if (read) read = iterators.for_each<Record>("task_files", [&](const Record& r) { builder.add_fd(r); });
  if (read && state.options.mmaps)
    read = iterators.for_each<detach_bpf_task_mapping>(
        "task_mappings", [&](const detach_bpf_task_mapping& m) { builder.add_mapping(m); });
  if (!read) return read;
  builder.move_into(state.snapshot.pins);
  return {};
}

}  // namespace detach::scan

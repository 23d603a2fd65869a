// SPDX-License-Identifier: GPL-2.0-or-later
// Pins held by tasks: cwd, root, exe, fds, file mappings; threads with their own fs or fd table.
//
// The hot path is one statx per fd (the mount id only, AT_STATX_DONT_SYNC: it never waits on the fs). What
// only a view prints (an fd's access mode, a path) is read only for pins of the mounts a tool asked about.
// The tasks are spread over threads (each task's pins are its own vector, joined in pid order at the end, so
// the result does not depend on the threads), and like fds of a task become one range pin, so memory follows
// pinners, not fds.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <thread>
#include <utility>

#include "base/parallel.h"
#include "kernel/procfs.h"
#include "kernel/statx.h"
#include "kernel/uapi.h"
#include "scan/scan_state.h"
#include "scan/task_pin_rules.h"

namespace detach::scan {

namespace {

// Where one task's (or thread's) entries are read from, and who it is.
struct TaskDir {
  UniqueFd dir;  // /proc/PID or /proc/PID/task/TID
  pid_t pid = 0;
  pid_t tid = 0;  // set for a thread with its own fs or fd table
  std::uint64_t ns_inode = 0;
};

// What the scan of one task found. Workers fill their own; nothing is shared while they run.
struct TaskPins {
  std::vector<Pin> pins;
  unsigned denied = 0;
  unsigned vanished = 0;
  void note_error(int err) {
    if (err == ENOENT || err == ESRCH)
      ++vanished;
    else if (err == EACCES || err == EPERM)
      ++denied;
  }
};

Access access_from_flags(int flags) {
  switch (flags & O_ACCMODE) {
    case O_RDONLY:
      return Access::Read;
    case O_WRONLY:
      return Access::Write;
    case O_RDWR:
      return Access::ReadWrite;
    default:
      return Access::Unknown;
  }
}

class PinCollector {
 public:
  PinCollector(const ScanState& state, TaskPins& out)
      : state_(state), out_(out), unique_(state.snapshot.id_kind == IdKind::Unique), rules_(state) {}

  void scan_fs_links(const TaskDir& task) {
    add_link(task, task.dir.get(), "cwd", PinKind::Cwd, -1);
    add_link(task, task.dir.get(), "root", PinKind::Root, -1);
  }
  void scan_exe(const TaskDir& task) { add_link(task, task.dir.get(), "exe", PinKind::Exe, -1); }
  void scan_fds(const TaskDir& task);
  void scan_mmaps(const TaskDir& task);

 private:
  // The mount a /proc link leads to: statx live (never waits on the fs), fdinfo or path lookup otherwise.
  // PROBING: an fd number asked for without a listing; ENOENT then means "not open", not a vanished task.
  bool resolve(const TaskDir& task, int dirfd, const char* link, Pin& pin, bool probing = false);
  bool resolve_by_path(const TaskDir& task, int dirfd, const char* link, Pin& pin);
  void add_detail(const TaskDir& task, int dirfd, const char* link, Pin& pin);
  // Resolves LINK (relative to DIRFD) into a pin; false when it leads nowhere we count.
  bool make_pin(const TaskDir& task, int dirfd, const char* link, PinKind kind, int fd, Pin& pin,
                bool probing = false);
  bool add_link(const TaskDir& task, int dirfd, const char* link, PinKind kind, int fd, bool probing = false);
  std::size_t probe_fds(const TaskDir& task, int fd_dir, std::uint64_t open_fds, int& next);

  const ScanState& state_;
  TaskPins& out_;
  bool unique_;
  TaskPinRules rules_;  // one per process: its leader and its threads
};

bool PinCollector::resolve(const TaskDir& task, int dirfd, const char* link, Pin& pin, bool probing) {
  if (state_.options.live) {
    auto ref = mount_ref_at(dirfd, link, unique_);
    if (!ref) {
      if (probing && ref.error().err == ENOENT) return false;
      // Kernel threads have no exe (ENOENT): nothing was missed there.
      if (!(pin.kind == PinKind::Exe && ref.error().err == ENOENT)) out_.note_error(ref.error().err);
      return false;
    }
    if (ref->unique != unique_) return false;  // ids from another family would never match a mount
    pin.mount = ref->mnt_id;
    pin.dev = ref->dev;
    pin.ino = ref->ino;
    if (S_ISBLK(ref->mode)) pin.rdev = ref->rdev;
    return true;
  }
  if (pin.kind == PinKind::Fd) {
    auto text = read_file_at(task.dir.get(), ("fdinfo/" + std::to_string(pin.fd)).c_str());
    if (!text) {
      out_.note_error(text.error().err);
      return false;
    }
    auto info = parse_fdinfo(*text);
    if (!info) return false;
    pin.mount = info->mnt_id;
    pin.ino = info->ino;
    return true;
  }
  return resolve_by_path(task, dirfd, link, pin);
}

// Without statx mount ids (fixtures, kernels before 5.8): the deepest mount point that is a prefix of the
// path.
bool PinCollector::resolve_by_path(const TaskDir& task, int dirfd, const char* link, Pin& pin) {
  auto target = read_link_at(dirfd, link);
  if (!target || target->empty() || (*target)[0] != '/') return false;
  const Namespace* home = nullptr;
  for (const Namespace& ns : state_.snapshot.namespaces)
    if (ns.inode == task.ns_inode) home = &ns;
  if (home == nullptr) return false;
  std::size_t best_len = 0;
  for (MountKey key : home->mounts) {
    const Mount& m = state_.snapshot.mounts.at(key);
    const std::string& mp = m.target;
    bool prefix = target->compare(0, mp.size(), mp) == 0 &&
                  (mp == "/" || target->size() == mp.size() || (*target)[mp.size()] == '/');
    if (prefix && mp.size() >= best_len) {
      best_len = mp.size();
      pin.mount = key;
      pin.dev = m.dev;
    }
  }
  return pin.mount != 0;
}

void PinCollector::add_detail(const TaskDir& task, int dirfd, const char* link, Pin& pin) {
  const TaskPinRules::Detail detail = rules_.detail_for(pin);
  if (!detail.wanted) return;
  pin.detailed = true;
  if (detail.path)
    if (auto path = read_link_at(dirfd, link)) pin.path = std::move(*path);
  if (pin.kind != PinKind::Fd) return;
  if (state_.options.live) {
    // The fd link's own mode bits carry the access mode: cheaper than reading fdinfo.
    if (auto mode = link_mode_at(dirfd, link)) pin.access = access_from_link_mode(*mode);
    return;
  }
  auto text = read_file_at(task.dir.get(), ("fdinfo/" + std::to_string(pin.fd)).c_str());
  if (auto info = text ? parse_fdinfo(*text) : std::nullopt) pin.access = access_from_flags(info->flags);
}

bool PinCollector::make_pin(const TaskDir& task, int dirfd, const char* link, PinKind kind, int fd, Pin& pin,
                            bool probing) {
  pin.kind = kind;
  pin.pid = task.pid;
  pin.tid = task.tid;
  pin.fd = fd;
  return resolve(task, dirfd, link, pin, probing);
}

bool PinCollector::add_link(const TaskDir& task, int dirfd, const char* link, PinKind kind, int fd,
                            bool probing) {
  Pin pin;
  if (!make_pin(task, dirfd, link, kind, fd, pin, probing)) return false;
  add_detail(task, dirfd, link, pin);
  rules_.push(out_.pins, std::move(pin));
  return true;
}

// Most tasks number their fds from 0 without gaps: asking for 0, 1, 2 ... until all OPEN_FDS are found skips
// the listing (getdents of /proc/PID/fd costs as much as the statx of each fd). A table with gaps stops the
// probe early; the listing then does the rest, from NEXT on. Returns how many were found.
std::size_t PinCollector::probe_fds(const TaskDir& task, int fd_dir, std::uint64_t open_fds, int& next) {
  constexpr std::size_t kSlack = 64;  // misses allowed beyond the number of hits
  std::size_t found = 0, missed = 0;
  char name[16];
  for (int fd = 0; found < open_fds && missed <= kSlack + found; ++fd) {
    auto [end, ec] = std::to_chars(name, name + sizeof name - 1, fd);
    *end = '\0';
    if (add_link(task, fd_dir, name, PinKind::Fd, fd, true))
      ++found;
    else
      ++missed;
    next = fd + 1;
  }
  return found;
}

void PinCollector::scan_fds(const TaskDir& task) {
  UniqueFd fd_dir(::openat(task.dir.get(), "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd_dir) return out_.note_error(errno);
  int next = 0;  // fds below it are done
  if (state_.options.live) {
    auto open_fds = directory_size(fd_dir.get());
    if (open_fds && *open_fds > 0 && probe_fds(task, fd_dir.get(), *open_fds, next) >= *open_fds) return;
  }
  Status listed = visit_numeric_entries_at(fd_dir.get(), ".", [&](int dir, int fd, const char* name) {
    if (fd >= next) add_link(task, dir, name, PinKind::Fd, fd);
  });
  if (!listed) out_.note_error(listed.error().err);
}

void PinCollector::scan_mmaps(const TaskDir& task) {
  if (!state_.options.live) return;  // map_files needs statx; fixtures describe fds only
  UniqueFd dir(::openat(task.dir.get(), "map_files", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return out_.note_error(errno);
  auto entries = list_entries_at(dir.get(), ".");
  if (!entries) return out_.note_error(entries.error().err);
  // A library is mapped in several ranges: one pin per file is enough, and only that one gets details.
  std::set<std::pair<MountKey, std::uint64_t>> seen;
  for (const std::string& range : *entries) {
    Pin pin;
    if (!make_pin(task, dir.get(), range.c_str(), PinKind::Mmap, -1, pin)) continue;
    if (!seen.insert({pin.mount, pin.ino}).second) continue;
    add_detail(task, dir.get(), range.c_str(), pin);
    rules_.push(out_.pins, std::move(pin));
  }
}

// kcmp says whether a thread shares the leader's fs_struct (cwd, root) or file table.
bool shares_with_leader(pid_t pid, pid_t tid, int type) {
  long rc = ::syscall(SYS_kcmp, pid, tid, type, 0, 0);
  return rc == 0 || rc < 0;  // without kcmp (ENOSYS, EPERM) assume shared: the leader's pins stand for it
}

void scan_threads(PinCollector& collector, TaskPins& out, const TaskDir& leader) {
  auto tids = list_numeric_entries_at(leader.dir.get(), "task");
  if (!tids || tids->size() < 2) return;
  for (int tid : *tids) {
    if (tid == leader.pid) continue;
    bool own_fs = !shares_with_leader(leader.pid, tid, uapi::kKcmpFs);
    bool own_files = !shares_with_leader(leader.pid, tid, uapi::kKcmpFiles);
    if (!own_fs && !own_files) continue;
    std::string path = "task/" + std::to_string(tid);
    UniqueFd dir(::openat(leader.dir.get(), path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir) {
      out.note_error(errno);
      continue;
    }
    TaskDir thread{std::move(dir), leader.pid, tid, leader.ns_inode};
    if (own_fs) collector.scan_fs_links(thread);
    if (own_files) collector.scan_fds(thread);
  }
}

void scan_one_task(const ScanState& state, const TaskRef& ref, TaskPins& out) {
  auto dir = open_dir(state.options.proc_root + "/" + std::to_string(ref.pid));
  if (!dir) return out.note_error(dir.error().err);
  PinCollector collector(state, out);
  TaskDir task{std::move(*dir), ref.pid, 0, ref.ns_inode};
  collector.scan_fs_links(task);
  collector.scan_exe(task);
  collector.scan_fds(task);
  if (state.options.mmaps) collector.scan_mmaps(task);
  if (state.options.threads && state.options.live) scan_threads(collector, out, task);
}

unsigned worker_count(const ScanOptions& options, std::size_t tasks) {
  unsigned want =
      options.workers ? options.workers : std::min(8U, std::max(1U, std::thread::hardware_concurrency()));
  // A thread costs more than scanning a few tasks: small hosts and fixtures stay on one.
  return static_cast<unsigned>(std::min<std::size_t>(want, std::max<std::size_t>(1, tasks / 16)));
}

}  // namespace

void scan_task_pins(ScanState& state) {
  const pid_t self = ::getpid();
  std::vector<const TaskRef*> todo;
  todo.reserve(state.tasks.size());
  for (const TaskRef& ref : state.tasks)
    if (!(state.options.skip_self && ref.pid == self)) todo.push_back(&ref);

  // Each task's pins land in its own slot, so the result does not depend on which thread scanned what.
  std::vector<TaskPins> found(todo.size());
  run_in_parallel(todo.size(), worker_count(state.options, todo.size()),
                  [&](std::size_t i) { scan_one_task(state, *todo[i], found[i]); });

  std::size_t total = 0;
  for (const TaskPins& t : found) total += t.pins.size();
  std::vector<Pin>& pins = state.snapshot.pins;
  pins.reserve(pins.size() + total);
  for (std::size_t i = 0; i < found.size(); ++i) {
    TaskPins& t = found[i];
    std::move(t.pins.begin(), t.pins.end(), std::back_inserter(pins));
    state.snapshot.gaps.vanished += t.vanished;
    state.snapshot.gaps.denied += t.denied;
    if (t.denied) state.note_denied(todo[i]->pid);
  }
}

}  // namespace detach::scan

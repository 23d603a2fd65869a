// Pins held by tasks: cwd, root, exe, fds, file mappings; threads with their own fs or fd table.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <set>
#include <utility>

#include "kernel/procfs.h"
#include "kernel/statx.h"
#include "kernel/uapi.h"
#include "scan/scan_state.h"

namespace detach::scan {

namespace {

// Where one task's (or thread's) entries are read from, and who it is.
struct TaskDir {
  UniqueFd dir;  // /proc/PID or /proc/PID/task/TID
  pid_t pid = 0;
  pid_t tid = 0;  // set for a thread with its own fs or fd table
  std::uint64_t ns_inode = 0;
};

class PinCollector {
 public:
  explicit PinCollector(ScanState& state)
      : state_(state), unique_(state.snapshot.id_kind == IdKind::Unique) {}

  void scan_fs_links(const TaskDir& task) {
    add_link(task, "cwd", PinKind::Cwd, -1);
    add_link(task, "root", PinKind::Root, -1);
  }
  void scan_exe(const TaskDir& task) { add_link(task, "exe", PinKind::Exe, -1); }
  void scan_fds(const TaskDir& task);
  void scan_mmaps(const TaskDir& task);

 private:
  // The mount a /proc link leads to: statx live (never waits on the fs), fdinfo or path lookup otherwise.
  bool resolve(const TaskDir& task, const std::string& link, PinKind kind, int fd, Pin& pin);
  bool resolve_by_path(const TaskDir& task, const std::string& link, Pin& pin);
  void add_link(const TaskDir& task, const std::string& link, PinKind kind, int fd);
  bool wants_detail(const Pin& pin) const;
  void add_detail(const TaskDir& task, const std::string& link, Pin& pin);

  ScanState& state_;
  bool unique_;
};

bool PinCollector::resolve(const TaskDir& task, const std::string& link, PinKind kind, int fd, Pin& pin) {
  if (state_.options.live) {
    auto ref = mount_ref_at(task.dir.get(), link.c_str(), unique_);
    if (!ref) {
      // Kernel threads have no exe (ENOENT): nothing was missed there.
      if (!(kind == PinKind::Exe && ref.error().err == ENOENT)) state_.note_error(ref.error().err);
      return false;
    }
    if (ref->unique != unique_) return false;  // ids from another family would never match a mount
    pin.mount = ref->mnt_id;
    pin.dev = ref->dev;
    pin.ino = ref->ino;
    if (S_ISBLK(ref->mode)) pin.rdev = ref->rdev;
    return true;
  }
  if (kind == PinKind::Fd) {
    auto text = read_file_at(task.dir.get(), ("fdinfo/" + std::to_string(fd)).c_str());
    if (!text) {
      state_.note_error(text.error().err);
      return false;
    }
    auto info = parse_fdinfo(*text);
    if (!info) return false;
    pin.mount = info->mnt_id;
    pin.ino = info->ino;
    return true;
  }
  return resolve_by_path(task, link, pin);
}

// Without statx mount ids (fixtures, kernels before 5.8): the deepest mount point that is a prefix of the
// path.
bool PinCollector::resolve_by_path(const TaskDir& task, const std::string& link, Pin& pin) {
  auto target = read_link_at(task.dir.get(), link.c_str());
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

bool PinCollector::wants_detail(const Pin& pin) const {
  if (pin.rdev != DeviceNumber{}) return true;  // a block device held open: a reason it may be busy
  const Mount* m = state_.snapshot.mount(pin.mount);
  // Not listed: a detached mount (or an internal one, sorted out later): always worth the detail.
  if (m == nullptr) return !state_.internal_mounts.count(pin.mount);
  return !state_.options.detail_pins_of || state_.options.detail_pins_of(*m);
}

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

Access access_from_link_mode(mode_t mode) {
  bool r = mode & S_IRUSR, w = mode & S_IWUSR;
  return r && w ? Access::ReadWrite : w ? Access::Write : r ? Access::Read : Access::Unknown;
}

void PinCollector::add_detail(const TaskDir& task, const std::string& link, Pin& pin) {
  if (auto path = read_link_at(task.dir.get(), link.c_str())) pin.path = std::move(*path);
  if (pin.kind != PinKind::Fd) return;
  if (state_.options.live) {
    // The fd link's own mode bits carry the access mode: cheaper than reading fdinfo.
    if (auto mode = link_mode_at(task.dir.get(), link.c_str())) pin.access = access_from_link_mode(*mode);
    return;
  }
  auto text = read_file_at(task.dir.get(), ("fdinfo/" + std::to_string(pin.fd)).c_str());
  if (auto info = text ? parse_fdinfo(*text) : std::nullopt) pin.access = access_from_flags(info->flags);
}

void PinCollector::add_link(const TaskDir& task, const std::string& link, PinKind kind, int fd) {
  Pin pin;
  pin.kind = kind;
  pin.pid = task.pid;
  pin.tid = task.tid;
  pin.fd = fd;
  if (!resolve(task, link, kind, fd, pin)) return;
  if (wants_detail(pin)) add_detail(task, link, pin);
  state_.snapshot.pins.push_back(std::move(pin));
}

void PinCollector::scan_fds(const TaskDir& task) {
  auto fds = list_numeric_entries_at(task.dir.get(), "fd");
  if (!fds) {
    state_.note_error(fds.error().err);
    return;
  }
  for (int fd : *fds) add_link(task, "fd/" + std::to_string(fd), PinKind::Fd, fd);
}

void PinCollector::scan_mmaps(const TaskDir& task) {
  if (!state_.options.live) return;  // map_files needs statx; fixtures describe fds only
  auto entries = list_entries_at(task.dir.get(), "map_files");
  if (!entries) {
    state_.note_error(entries.error().err);
    return;
  }
  // A library is mapped in several ranges: one pin per file is enough.
  std::set<std::pair<MountKey, std::uint64_t>> seen;
  std::size_t first = state_.snapshot.pins.size();
  for (const std::string& range : *entries) {
    add_link(task, "map_files/" + range, PinKind::Mmap, -1);
    if (state_.snapshot.pins.size() == first) continue;
    const Pin& pin = state_.snapshot.pins.back();
    if (!seen.insert({pin.mount, pin.ino}).second) state_.snapshot.pins.pop_back();
    first = state_.snapshot.pins.size();
  }
}

// kcmp says whether a thread shares the leader's fs_struct (cwd, root) or file table.
bool shares_with_leader(pid_t pid, pid_t tid, int type) {
  long rc = ::syscall(SYS_kcmp, pid, tid, type, 0, 0);
  return rc == 0 || rc < 0;  // without kcmp (ENOSYS, EPERM) assume shared: the leader's pins stand for it
}

void scan_threads(ScanState& state, PinCollector& collector, const TaskDir& leader) {
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
      state.note_error(errno);
      continue;
    }
    TaskDir thread{std::move(dir), leader.pid, tid, leader.ns_inode};
    if (own_fs) collector.scan_fs_links(thread);
    if (own_files) collector.scan_fds(thread);
  }
}

}  // namespace

void scan_task_pins(ScanState& state) {
  PinCollector collector(state);
  for (const TaskRef& ref : state.tasks) {
    auto dir = open_dir(state.options.proc_root + "/" + std::to_string(ref.pid));
    if (!dir) {
      state.note_error(dir.error().err);
      continue;
    }
    TaskDir task{std::move(*dir), ref.pid, 0, ref.ns_inode};
    collector.scan_fs_links(task);
    collector.scan_exe(task);
    collector.scan_fds(task);
    if (state.options.mmaps) collector.scan_mmaps(task);
    if (state.options.threads && state.options.live) scan_threads(state, collector, task);
  }
}

}  // namespace detach::scan

// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/procfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <libmount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <limits>
#include <memory>
#include <sstream>

namespace detach {

namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;

Result<DirPtr> open_dir_stream(int dirfd, const char* path) {
  int fd = ::openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail_errno("open", path);
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    auto err = fail_errno("fdopendir", path);
    ::close(fd);
    return err;
  }
  return DirPtr(dir);
}

template <typename T>
std::optional<T> parse_kernel_unsigned(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  T value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// Field N of /proc/PID/stat counted after the command (1: the state), which may hold ')' and blanks: the
// fields start after its last ')'.
std::optional<std::string_view> stat_field(std::string_view text, int n) {
  std::size_t at = text.rfind(')');
  if (at == std::string_view::npos) return std::nullopt;
  constexpr std::string_view kBlanks = " \t\n\v\f\r";
  for (int i = 1;; ++i) {
    at = text.find_first_not_of(kBlanks, at + 1);
    if (at == std::string_view::npos) return std::nullopt;
    const std::size_t end = std::min(text.find_first_of(kBlanks, at), text.size());
    if (i == n) return text.substr(at, end - at);
    at = end;
  }
}

bool parse_int(std::string_view text, int& out) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return false;  // "-1" is no pid
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

struct TableDeleter {
  void operator()(libmnt_table* tb) const { mnt_unref_table(tb); }
};
struct IterDeleter {
  void operator()(libmnt_iter* it) const { mnt_free_iter(it); }
};

std::string or_empty(const char* s) {
  return s ? s : "";
}

}  // namespace

Result<std::vector<int>> list_numeric_entries_at(int dirfd, const char* path) {
  auto dir = open_dir_stream(dirfd, path);
  if (!dir) return tl::unexpected(dir.error());
  std::vector<int> out;
  while (struct dirent* ent = ::readdir(dir->get())) {
    int value = 0;
    if (parse_int(ent->d_name, value)) out.push_back(value);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status visit_numeric_entries_at(int dirfd, const char* path,
                                const std::function<void(int dir_fd, int number, const char* name)>& visit) {
  auto dir = open_dir_stream(dirfd, path);
  if (!dir) return tl::unexpected(dir.error());
  const int fd = ::dirfd(dir->get());
  while (struct dirent* ent = ::readdir(dir->get())) {
    int value = 0;
    if (parse_int(ent->d_name, value)) visit(fd, value, ent->d_name);
  }
  return {};
}

Result<std::vector<int>> list_numeric_entries(const std::string& dir) {
  return list_numeric_entries_at(AT_FDCWD, dir.c_str());
}

Result<std::vector<std::string>> list_entries_at(int dirfd, const char* path) {
  auto dir = open_dir_stream(dirfd, path);
  if (!dir) return tl::unexpected(dir.error());
  std::vector<std::string> out;
  while (struct dirent* ent = ::readdir(dir->get())) {
    std::string_view name = ent->d_name;
    if (name != "." && name != "..") out.emplace_back(name);
  }
  return out;
}

Result<std::string> read_file_at(int dirfd, const char* path) {
  UniqueFd fd(::openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd) return fail_errno("open", path);
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno("read", path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

Result<std::string> read_file(const std::string& path) {
  return read_file_at(AT_FDCWD, path.c_str());
}

std::string read_attribute(const std::string& path) {
  Result<std::string> text = read_file(path);
  if (!text) return {};
  if (!text->empty() && text->back() == '\n') text->pop_back();
  return *text;
}

Result<std::string> read_link_at(int dirfd, const char* path) {
  std::string buf(256, '\0');
  for (;;) {
    ssize_t n = ::readlinkat(dirfd, path, buf.data(), buf.size());
    if (n < 0) return fail_errno("readlink", path);
    if (static_cast<std::size_t>(n) < buf.size()) {
      buf.resize(static_cast<std::size_t>(n));
      return buf;
    }
    buf.resize(buf.size() * 4);  // truncated: a path may be up to PATH_MAX and more through /proc
  }
}

Result<std::string> read_link(const std::string& path) {
  return read_link_at(AT_FDCWD, path.c_str());
}

Result<UniqueFd> open_dir(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return fail_errno("open", path);
  return fd;
}

std::optional<FdInfo> parse_fdinfo(const std::string& text) {
  FdInfo info;
  bool have_mnt = false;
  std::istringstream in(text);
  std::string key;
  while (in >> key) {
    if (key == "mnt_id:") {
      have_mnt = static_cast<bool>(in >> info.mnt_id);
    } else if (key == "flags:") {
      std::string octal;
      in >> octal;
      info.flags = static_cast<int>(std::strtol(octal.c_str(), nullptr, 8));
    } else if (key == "ino:") {
      in >> info.ino;
    } else if (key == "scm_fds:") {
      std::string number;
      in >> number;
      info.scm_fds = parse_kernel_u64(number);
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  if (!have_mnt) return std::nullopt;
  return info;
}

std::optional<unsigned long> parse_stat_flags(const std::string& text) {
  std::optional<std::string_view> field = stat_field(text, 7);  // %u
  if (!field) return std::nullopt;
  return parse_kernel_u32(*field);
}

bool is_kernel_thread(const std::string& proc_root, pid_t pid) {
  constexpr unsigned long kPfKthread = 0x00200000;  // include/linux/sched.h
  auto text = read_file(proc_root + "/" + std::to_string(pid) + "/stat");
  if (!text) return false;
  auto flags = parse_stat_flags(*text);
  return flags && (*flags & kPfKthread);
}

std::optional<pid_t> parse_stat_ppid(const std::string& text) {
  std::optional<std::string_view> field = stat_field(text, 2);  // %d, a pid: never negative
  std::optional<std::uint32_t> ppid = field ? parse_kernel_u32(*field) : std::nullopt;
  if (!ppid || *ppid > static_cast<std::uint32_t>(std::numeric_limits<pid_t>::max())) return std::nullopt;
  return static_cast<pid_t>(*ppid);
}

std::optional<std::uint32_t> parse_kernel_u32(std::string_view text) {
  return parse_kernel_unsigned<std::uint32_t>(text);
}

std::optional<std::uint64_t> parse_kernel_u64(std::string_view text) {
  return parse_kernel_unsigned<std::uint64_t>(text);
}

std::optional<uid_t> parse_status_uid(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Uid:", 0) != 0) continue;
    // The kernel prints %u: a sign, a number past 32 bits or junk glued to it is no uid (a wrapped number
    // would name another user).
    std::size_t begin = line.find_first_not_of(" \t", 4);
    if (begin == std::string::npos) return std::nullopt;
    std::size_t end = std::min(line.find_first_of(" \t", begin), line.size());
    auto uid = parse_kernel_u32(std::string_view(line).substr(begin, end - begin));
    if (!uid) return std::nullopt;
    return static_cast<uid_t>(*uid);
  }
  return std::nullopt;
}

std::string parse_cgroup(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::string first;
  while (std::getline(in, line)) {
    // "hierarchy-ID:controllers:path"; the path itself may hold ':'
    auto a = line.find(':');
    auto b = a == std::string::npos ? a : line.find(':', a + 1);
    if (b == std::string::npos) continue;
    std::string path = line.substr(b + 1);
    if (line.compare(0, a, "0") == 0 && b == a + 1) return path;
    if (first.empty()) first = path;
  }
  return first;
}

std::string chomp(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

Result<std::vector<Mount>> read_mountinfo(const std::string& path) {
  std::unique_ptr<libmnt_table, TableDeleter> table(mnt_new_table());
  if (!table) return fail(ENOMEM, "mnt_new_table");
  // A parse error on one line must not hide every other mount.
  mnt_table_set_parser_errcb(table.get(), [](libmnt_table*, const char*, int) { return 1; });
  if (int rc = mnt_table_parse_file(table.get(), path.c_str()); rc != 0)
    return fail(rc < 0 ? -rc : EINVAL, "parse", path);
  std::unique_ptr<libmnt_iter, IterDeleter> iter(mnt_new_iter(MNT_ITER_FORWARD));
  std::vector<Mount> mounts;
  libmnt_fs* fs = nullptr;
  while (mnt_table_next_fs(table.get(), iter.get(), &fs) == 0) {
    Mount m;
    m.old_id = static_cast<std::uint32_t>(mnt_fs_get_id(fs));
    m.key = m.old_id;
    m.parent = static_cast<MountKey>(mnt_fs_get_parent_id(fs));
    m.dev = DeviceNumber::from_dev(mnt_fs_get_devno(fs));
    m.root = or_empty(mnt_fs_get_root(fs));
    m.target = or_empty(mnt_fs_get_target(fs));
    m.fstype = or_empty(mnt_fs_get_fstype(fs));
    m.source = or_empty(mnt_fs_get_source(fs));
    m.vfs_options = or_empty(mnt_fs_get_vfs_options(fs));
    m.fs_options = or_empty(mnt_fs_get_fs_options(fs));
    mounts.push_back(std::move(m));
  }
  return mounts;
}

std::optional<std::uint64_t> parse_stat_start_time(const std::string& text) {
  // Field 22 of the whole line (%llu): the 20th after the command.
  std::optional<std::string_view> field = stat_field(text, 20);
  return field ? parse_kernel_u64(*field) : std::nullopt;
}

}  // namespace detach

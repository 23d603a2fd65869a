// SPDX-License-Identifier: GPL-2.0-or-later
#include "journal/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "base/file_write.h"
#include "base/unique_fd.h"
#include "journal/trusted_dir.h"
#include "kernel/procfs.h"

namespace detach {

namespace {

constexpr std::string_view kVersionTag = "DJ1";
constexpr std::string_view kEndToken = "end";

bool needs_escape(unsigned char c) {
  return c <= 0x20 || c >= 0x7f || c == '\\';
}

void append_escaped(std::string& out, std::string_view value) {
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (!needs_escape(c)) {
      out += ch;
      continue;
    }
    out += '\\';
    out += static_cast<char>('0' + ((c >> 6) & 7));
    out += static_cast<char>('0' + ((c >> 3) & 7));
    out += static_cast<char>('0' + (c & 7));
  }
}

bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

// Only the escapes format_journal_line makes are accepted: anything else means the line is not ours.
bool unescape(std::string_view raw, std::string& out) {
  out.clear();
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    if (i + 3 >= raw.size() || !is_octal(raw[i + 1]) || !is_octal(raw[i + 2]) || !is_octal(raw[i + 3]))
      return false;
    int value = (raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0');
    if (value > 0xff) return false;
    out += static_cast<char>(value);
    i += 3;
  }
  return true;
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool parse_dev(std::string_view text, DeviceNumber& out) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  return parse_number(text.substr(0, colon), out.major) && parse_number(text.substr(colon + 1), out.minor);
}

void add_field(std::string& line, std::string_view key, std::string_view value) {
  line += '\t';
  line += key;
  line += '=';
  append_escaped(line, value);
}

// The complete lines of CONTENT, each with its record: a last line without its newline is still being written
// or was cut short, and is left out.
std::vector<std::pair<std::string_view, DetachRecord>> parse_content(std::string_view content) {
  std::vector<std::pair<std::string_view, DetachRecord>> out;
  std::size_t start = 0;
  for (std::size_t nl = content.find('\n'); nl != std::string_view::npos; nl = content.find('\n', start)) {
    std::string_view line = content.substr(start, nl - start);
    start = nl + 1;
    if (auto record = parse_journal_line(line)) out.emplace_back(line, std::move(*record));
  }
  return out;
}

// The last kJournalReadBytes of the journal FD (of SIZE bytes), from its first whole line on: the newest
// records are at the end, and a journal grown past any bound (a sparse file of gigabytes) costs no more.
Result<std::string> read_tail(int fd, off_t size, const std::string& path) {
  const off_t start = std::max<off_t>(0, size - static_cast<off_t>(kJournalReadBytes));
  std::string out(static_cast<std::size_t>(size - start), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::pread(fd, out.data() + got, out.size() - got, start + static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read", path);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  if (start > 0) out.erase(0, out.find('\n') == std::string::npos ? out.size() : out.find('\n') + 1);
  return out;
}

// The journal file under DIRFD may be trusted: a regular file, owned and writable as journal.h says.
Status require_trusted_file(int fd, const std::string& path, struct stat& st) {
  if (::fstat(fd, &st) != 0) return fail_errno("fstat", path);
  if (!S_ISREG(st.st_mode)) return fail(EINVAL, "open", path, "not a regular file");
  return check_trusted(st, path);
}

constexpr const char* kFileName = "journal";

// The journal file opened for append and locked. A writer that compacted while we waited for the lock renamed
// a new file over the one we hold, so we check that ours is still the one in DIRFD, else open again.
Result<UniqueFd> open_locked(int dirfd, const std::string& path) {
  // O_NONBLOCK: a FIFO in place of the file must not hang us before we can see it is no regular file.
  constexpr int kNoFollow = O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    UniqueFd fd(::openat(dirfd, kFileName, O_RDWR | O_APPEND | O_CREAT | O_EXCL | kNoFollow, 0644));
    if (fd) {
      ::fchmod(fd.get(), 0644);  // the umask must not hide the journal from unprivileged readers
    } else if (errno != EEXIST) {
      return fail_errno("open", path);
    } else {
      fd.reset(::openat(dirfd, kFileName, O_RDWR | O_APPEND | kNoFollow));
      if (!fd) {
        if (errno == ENOENT) continue;  // removed between our two opens
        return fail_errno("open", path);
      }
    }
    struct stat held {};
    if (auto st = require_trusted_file(fd.get(), path, held); !st) return tl::unexpected(st.error());
    while (::flock(fd.get(), LOCK_EX) != 0)
      if (errno != EINTR) return fail_errno("flock", path);
    struct stat now {};
    if (::fstat(fd.get(), &held) != 0) return fail_errno("fstat", path);
    if (::fstatat(dirfd, kFileName, &now, AT_SYMLINK_NOFOLLOW) == 0) {
      if (now.st_dev == held.st_dev && now.st_ino == held.st_ino) return fd;
    } else if (errno != ENOENT) {
      return fail_errno("lstat", path);
    }
  }
  return fail(EAGAIN, "open", path, "the journal kept being replaced");
}

}  // namespace

std::string format_journal_line(const DetachRecord& r) {
  std::string line(kVersionTag);
  add_field(line, "boot", r.boot_id);
  add_field(line, "uid", std::to_string(r.unique_id));
  add_field(line, "oid", std::to_string(r.old_id));
  add_field(line, "ns", std::to_string(r.ns_id));
  add_field(line, "dev", r.dev.str());
  add_field(line, "at", std::to_string(r.detached_at));
  add_field(line, "by", r.recorded_by);
  add_field(line, "fstype", r.fstype);
  add_field(line, "source", r.source);
  add_field(line, "target", r.target);
  // Newer fields are left out when empty: such a line reads the same to an older reader.
  if (!r.options.empty()) add_field(line, "options", r.options);
  if (!r.pinners.empty()) add_field(line, "pinners", r.pinners);
  if (r.unmounted) add_field(line, "what", "unmount");
  line += '\t';
  line += kEndToken;
  line += '\n';
  return line;
}

std::optional<DetachRecord> parse_journal_line(std::string_view line) {
  std::vector<std::string_view> tokens;
  for (std::size_t start = 0;;) {
    std::size_t tab = line.find('\t', start);
    tokens.push_back(
        line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  if (tokens.size() < 2 || tokens.front() != kVersionTag || tokens.back() != kEndToken) return std::nullopt;
  DetachRecord r;
  bool has_uid = false;
  std::string value;
  // A repeated key means two lines were glued together (a cut line, then a whole one): not one record.
  std::vector<std::string_view> seen;
  for (std::size_t i = 1; i + 1 < tokens.size(); ++i) {
    std::string_view token = tokens[i];
    std::size_t eq = token.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view key = token.substr(0, eq);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) return std::nullopt;
    seen.push_back(key);
    if (!unescape(token.substr(eq + 1), value)) return std::nullopt;
    bool ok = true;
    if (key == "boot") {
      r.boot_id = value;
    } else if (key == "uid") {
      ok = parse_number(value, r.unique_id);
      has_uid = ok;
    } else if (key == "oid") {
      ok = parse_number(value, r.old_id);
    } else if (key == "ns") {
      ok = parse_number(value, r.ns_id);
    } else if (key == "dev") {
      ok = parse_dev(value, r.dev);
    } else if (key == "at") {
      ok = parse_number(value, r.detached_at);
    } else if (key == "by") {
      r.recorded_by = value;
    } else if (key == "fstype") {
      r.fstype = value;
    } else if (key == "source") {
      r.source = value;
    } else if (key == "target") {
      r.target = value;
    } else if (key == "options") {
      r.options = value;
    } else if (key == "pinners") {
      r.pinners = value;
    } else if (key == "what") {
      r.unmounted = value == "unmount";
    }  // other keys: written by a newer writer of the same version, ignored
    if (!ok) return std::nullopt;
  }
  if (r.boot_id.empty() || !has_uid) return std::nullopt;
  return r;
}

namespace {

// What INTO leaves unknown, taken from OLDER: a watcher that never saw the mount attached records its detach
// without a place, and that must not hide the place umount (or another watcher) recorded.
void fill_unknown(DetachRecord& into, const DetachRecord& older) {
  for (auto field : {&DetachRecord::target, &DetachRecord::source, &DetachRecord::fstype,
                     &DetachRecord::options, &DetachRecord::pinners})
    if ((into.*field).empty()) into.*field = older.*field;
  if (into.ns_id == 0) into.ns_id = older.ns_id;
  if (into.old_id == 0) into.old_id = older.old_id;
  if (into.dev == DeviceNumber{}) into.dev = older.dev;
}

}  // namespace

std::map<std::uint64_t, DetachRecord> newest_by_unique_id(const std::vector<DetachRecord>& records) {
  std::vector<const DetachRecord*> by_time;
  for (const DetachRecord& r : records)
    if (r.unique_id != 0) by_time.push_back(&r);
  std::stable_sort(by_time.begin(), by_time.end(), [](const DetachRecord* a, const DetachRecord* b) {
    return a->detached_at < b->detached_at;
  });
  std::map<std::uint64_t, DetachRecord> out;
  for (const DetachRecord* r : by_time) {
    auto [it, inserted] = out.try_emplace(r->unique_id, *r);
    if (inserted) continue;
    DetachRecord older = std::exchange(it->second, *r);
    fill_unknown(it->second, older);
  }
  return out;
}

DetachRecord record_of(const Mount& m, long long detached_at, std::string recorded_by, std::string boot_id) {
  DetachRecord r;
  r.boot_id = std::move(boot_id);
  r.unique_id = m.unique_id;
  r.old_id = m.old_id;
  r.ns_id = m.ns_id;
  r.dev = m.dev;
  r.detached_at = detached_at;
  r.target = m.target;
  r.source = m.source;
  r.fstype = m.fstype;
  // Both halves, as umount records libmount's list: a superblock option may name a device the filesystem
  // holds (xfs logdev=) or an overlay's layers, which nothing else tells once it is detached.
  r.options = merged_mount_options(m.vfs_options, m.fs_options);
  r.recorded_by = std::move(recorded_by);
  return r;
}

Result<std::string> current_boot_id(const std::string& proc_root) {
  std::string path = proc_root + "/sys/kernel/random/boot_id";
  auto text = read_file(path);
  if (!text) return tl::unexpected(text.error());
  std::string id = chomp(std::move(*text));
  if (id.empty()) return fail(0, "read", path, "empty boot id");
  return id;
}

DetachJournal::DetachJournal(std::string dir) : dir_(std::move(dir)), path_(dir_ + "/journal") {}

namespace {

// Rewrites the journal held (and locked) by FD with the newest records of R's boot and R itself, through a
// temp file renamed over it, so that readers only ever see the old or the new file whole.
Status compact(int fd, const struct stat& held, int dirfd, const std::string& path, const DetachRecord& r) {
  auto content = read_tail(fd, held.st_size, path);
  if (!content) return tl::unexpected(content.error());
  auto lines = parse_content(*content);
  std::string newest = format_journal_line(r);
  std::vector<std::string_view> kept{newest};
  std::size_t bytes = newest.size();
  for (auto it = lines.rbegin(); it != lines.rend() && kept.size() < kJournalKeepRecords; ++it) {
    if (it->second.boot_id != r.boot_id) continue;
    if (bytes + it->first.size() + 1 > kJournalKeepBytes) break;
    bytes += it->first.size() + 1;
    kept.push_back(it->first);
  }
  std::string out;
  out.reserve(bytes);
  for (std::size_t i = kept.size(); i-- > 1;) {  // oldest first; kept[0] is R, last
    out += kept[i];
    out += '\n';
  }
  out += newest;

  // Under our lock on the old file: a writer waiting for it finds the file replaced and opens the new one.
  return replace_file_at(dirfd, kFileName, path, out, held.st_mode & 07777);
}

}  // namespace

Status DetachJournal::append(const DetachRecord& r) const {
  if (r.boot_id.empty()) return fail(EINVAL, "append", path_, "record without a boot id");
  auto dir = open_trusted_dir(dir_, true, 0755);
  if (!dir) return tl::unexpected(dir.error());
  auto fd = open_locked(dir->get(), path_);
  if (!fd) return tl::unexpected(fd.error());
  struct stat held {};
  if (::fstat(fd->get(), &held) != 0) return fail_errno("fstat", path_);
  // A failed rewrite (no room for the temp file) must not lose the record: append it and compact next time.
  if (static_cast<std::size_t>(held.st_size) > kJournalMaxBytes &&
      compact(fd->get(), held, dir->get(), path_, r))
    return {};
  std::string line = format_journal_line(r);
  if (held.st_size > 0) {
    // A writer that died mid-line left no newline: end its line, or ours would be glued to it.
    char last = '\n';
    if (::pread(fd->get(), &last, 1, held.st_size - 1) == 1 && last != '\n') line.insert(0, 1, '\n');
  }
  Status written = write_all(fd->get(), line, path_);
  // Out of room part-way (a full /run): no torn line stays behind (the lock is ours), so the caller can
  // append the record again, whole. Should that truncate fail too, the next append ends the torn line first.
  if (!written && ::ftruncate(fd->get(), held.st_size) != 0) {
    Error e = written.error();
    e.detail += std::string(e.detail.empty() ? "" : "; ") + "a torn line stays: " + std::strerror(errno);
    return tl::unexpected(std::move(e));
  }
  return written;
}

Result<std::vector<DetachRecord>> DetachJournal::read(const std::string& boot_id) const {
  auto dir = open_trusted_dir(dir_, false, 0755);
  if (!dir) {
    if (dir.error().err == ENOENT) return std::vector<DetachRecord>{};
    return tl::unexpected(dir.error());
  }
  UniqueFd fd(::openat(dir->get(), kFileName, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd) {
    if (errno == ENOENT) return std::vector<DetachRecord>{};
    return fail_errno("open", path_);
  }
  struct stat st {};
  if (auto ok = require_trusted_file(fd.get(), path_, st); !ok) return tl::unexpected(ok.error());
  auto content = read_tail(fd.get(), st.st_size, path_);
  if (!content) return tl::unexpected(content.error());
  std::vector<DetachRecord> out;
  for (auto& [line, record] : parse_content(*content))
    if (boot_id.empty() || record.boot_id == boot_id) out.push_back(std::move(record));
  return out;
}

}  // namespace detach

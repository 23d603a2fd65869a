// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/file_write.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <ctime>

#include "base/unique_fd.h"

namespace detach {

namespace {

// The path of the temp file TMP beside PATH, whose last component is NAME: for errors.
std::string temp_path(const std::string& path, const std::string& name, const std::string& tmp) {
  if (!path.ends_with(name)) return tmp;
  return path.substr(0, path.size() - name.size()) + tmp;
}

// A temp file ".NAME.XXXXXX" beside NAME in DIRFD, made by us (O_EXCL): mkostemp's names, but relative to a
// directory fd. TMP gets its name.
Result<UniqueFd> create_temp_beside(int dirfd, const std::string& name, const std::string& path,
                                    std::string& tmp) {
  static constexpr std::string_view kLetters =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (int attempt = 0; attempt < 100; ++attempt) {
    // Never waiting for entropy: the journal is written from early boot on (detach-journal.service).
    std::uint64_t bits = 0;
    if (::getrandom(&bits, sizeof bits, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bits)) {
      struct timespec ts {};
      ::clock_gettime(CLOCK_REALTIME, &ts);
      bits = static_cast<std::uint64_t>(ts.tv_nsec) ^ (static_cast<std::uint64_t>(ts.tv_sec) << 30) ^
             (static_cast<std::uint64_t>(::getpid()) << 40) ^ (0x9e3779b97f4a7c15U * (attempt + 1U));
    }
    tmp = "." + name + ".";
    for (int i = 0; i < 6; ++i, bits /= kLetters.size()) tmp += kLetters[bits % kLetters.size()];
    UniqueFd fd(::openat(dirfd, tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd) return fd;
    if (errno != EEXIST) return fail_errno("open", temp_path(path, name, tmp));
  }
  return fail(EEXIST, "open", path, "no free name for a temp file beside it");
}

}  // namespace

Status write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno("write", path);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Status replace_file_at(int dirfd, const std::string& name, const std::string& path, std::string_view content,
                       mode_t mode) {
  std::string tmp;
  auto fd = create_temp_beside(dirfd, name, path, tmp);
  if (!fd) return tl::unexpected(fd.error());
  const std::string tmp_path = temp_path(path, name, tmp);
  Status st = [&]() -> Status {
    if (::fchmod(fd->get(), mode) != 0) return fail_errno("fchmod", tmp_path);
    if (auto w = write_all(fd->get(), content, tmp_path); !w) return w;
    // Without the sync a crash soon after the rename could leave an empty file in place of both.
    if (::fsync(fd->get()) != 0) return fail_errno("fsync", tmp_path);
    if (::renameat(dirfd, tmp.c_str(), dirfd, name.c_str()) != 0) return fail_errno("rename", tmp_path);
    return {};
  }();
  if (!st) ::unlinkat(dirfd, tmp.c_str(), 0);
  return st;
}

Status replace_file(const std::string& path, std::string_view content, mode_t mode) {
  std::size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  UniqueFd dirfd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  // Named by PATH, as an open of PATH itself would be: the file is what the caller asked for.
  if (!dirfd) return fail_errno("open", path);
  return replace_file_at(dirfd.get(), name, path, content, mode);
}

}  // namespace detach

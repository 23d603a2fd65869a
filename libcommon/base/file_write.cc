// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/file_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "base/unique_fd.h"

namespace detach {

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

Status replace_file(const std::string& path, std::string_view content, mode_t mode) {
  std::size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmp = dir + (dir.ends_with('/') ? "." : "/.") + name + ".XXXXXX";
  UniqueFd fd(::mkostemp(tmp.data(), O_CLOEXEC));
  if (!fd) return fail_errno("mkostemp", tmp);
  Status st = [&]() -> Status {
    if (::fchmod(fd.get(), mode) != 0) return fail_errno("fchmod", tmp);
    if (auto w = write_all(fd.get(), content, tmp); !w) return w;
    // Without the sync a crash soon after the rename could leave an empty file in place of both.
    if (::fsync(fd.get()) != 0) return fail_errno("fsync", tmp);
    if (::rename(tmp.c_str(), path.c_str()) != 0) return fail_errno("rename", tmp);
    return {};
  }();
  if (!st) ::unlink(tmp.c_str());
  return st;
}

}  // namespace detach

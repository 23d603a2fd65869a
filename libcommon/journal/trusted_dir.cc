// SPDX-License-Identifier: GPL-2.0-or-later
#include "journal/trusted_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace detach {
namespace {

constexpr int kDirFlags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

bool trusted_owner(uid_t uid) {
  return uid == 0 || uid == ::geteuid();
}

// A directory on the way down: trusted like the journal's own, or sticky and root's (in /tmp nobody else may
// rename or remove what root made there; what others made there fails its own check one level down).
Status check_ancestor(const struct stat& st, const std::string& path) {
  if (!S_ISDIR(st.st_mode)) return fail(ENOTDIR, "open", path);
  if ((st.st_mode & S_ISVTX) && trusted_owner(st.st_uid)) return {};
  return check_trusted(st, path);
}

std::vector<std::string> components(const std::string& dir) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= dir.size()) {
    std::size_t slash = dir.find('/', start);
    if (slash == std::string::npos) slash = dir.size();
    std::string part = dir.substr(start, slash - start);
    if (!part.empty() && part != ".") out.push_back(std::move(part));
    start = slash + 1;
  }
  return out;
}

// Why openat(O_NOFOLLOW) refused NAME: a link gets ELOOP, whatever errno the kernel chose for it.
tl::unexpected<Error> open_failure(int parent, const std::string& name, const std::string& path) {
  int err = errno;
  struct stat st {};
  if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
    return fail(ELOOP, "open", path, "a symbolic link");
  return fail(err, "open", path);
}

Result<UniqueFd> make_dir(int parent, const std::string& name, mode_t mode, const std::string& path) {
  if (::mkdirat(parent, name.c_str(), mode) != 0 && errno != EEXIST) return fail_errno("mkdir", path);
  UniqueFd fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return open_failure(parent, name, path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail_errno("fstat", path);
  // Only a directory we own gets its mode set: the umask must not hide the journal from its readers.
  if (st.st_uid == ::geteuid() && (st.st_mode & 07777) != mode && ::fchmod(fd.get(), mode) != 0)
    return fail_errno("chmod", path);
  return fd;
}

}  // namespace

Status check_trusted(const struct stat& st, const std::string& path) {
  if (!trusted_owner(st.st_uid))
    return fail(EPERM, "open", path, "not trusted: owned by uid " + std::to_string(st.st_uid));
  if (st.st_mode & (S_IWGRP | S_IWOTH)) return fail(EPERM, "open", path, "not trusted: writable by others");
  return {};
}

Result<UniqueFd> open_trusted_dir(const std::string& dir, bool create, mode_t mode) {
  std::vector<std::string> parts = components(dir);
  for (const std::string& part : parts)
    if (part == "..") return fail(EINVAL, "open", dir, "a path with ..");
  std::string path = dir.starts_with("/") ? "/" : ".";
  UniqueFd fd(::open(path.c_str(), kDirFlags));
  if (!fd) return fail_errno("open", path);
  for (std::size_t i = 0; i <= parts.size(); ++i) {
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail_errno("fstat", path);
    Status ok = i == parts.size() ? check_trusted(st, path) : check_ancestor(st, path);
    if (!ok) return tl::unexpected(ok.error());
    if (i == parts.size()) break;
    const std::string& name = parts[i];
    if (path != "/") path += '/';
    path += name;
    UniqueFd next(::openat(fd.get(), name.c_str(), kDirFlags));
    if (!next && errno == ENOENT && create && i + 1 == parts.size()) {
      auto made = make_dir(fd.get(), name, mode, path);
      if (!made) return tl::unexpected(made.error());
      next = std::move(*made);
    } else if (!next) {
      return open_failure(fd.get(), name, path);
    }
    fd = std::move(next);
  }
  return fd;
}

}  // namespace detach

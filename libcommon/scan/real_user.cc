// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/real_user.h"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>

#include "kernel/bounded.h"
#include "kernel/procfs.h"

namespace detach {
namespace {

// Resolving a path can call into a dead NFS server: the bound is generous, as umount would wait as long.
constexpr std::chrono::minutes kLimit{10};

// "/dev/dm-3" -> "/dev/mapper/NAME" when that node exists (util-linux prefers the mapper name).
std::string mapper_name(const std::string& path) {
  constexpr std::string_view kDm = "/dev/dm-";
  if (!path.starts_with(kDm)) return path;
  std::string name = read_attribute("/sys/block/" + path.substr(5) + "/dm/name");
  if (name.empty()) return path;
  std::string mapper = "/dev/mapper/" + name;
  return ::access(mapper.c_str(), F_OK) == 0 ? mapper : path;
}

}  // namespace

Result<std::string> canonicalize_as_real_user(const std::string& path) {
  if (path.empty()) return fail(EINVAL, "realpath", path);
  return run_bounded_as_real_user(
      [&path]() -> Result<std::string> {
        char* resolved = ::realpath(path.c_str(), nullptr);
        if (resolved == nullptr) return fail_errno("realpath", path);
        std::string out(resolved);
        std::free(resolved);
        return mapper_name(out);
      },
      kLimit);
}

Result<std::string> run_as_real_user(const std::function<Result<std::string>()>& work,
                                     std::chrono::milliseconds limit) {
  return run_bounded_as_real_user(work, limit);
}

}  // namespace detach

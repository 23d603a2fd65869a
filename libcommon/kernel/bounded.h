// SPDX-License-Identifier: GPL-2.0-or-later
// Runs work that may call into a filesystem (stat, statfs) in a killable child, with a deadline.
// A stat on a dead NFS or FUSE server blocks in the kernel; a child can be abandoned and killed, a thread
// cannot.
#pragma once

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <type_traits>

#include "base/result.h"

namespace detach {

// Forks, runs WORK in the child and sends its result back through a pipe. Past LIMIT the child is killed
// (SIGKILL) and the call fails with ETIMEDOUT. An Error returned by WORK comes back as is (errno, op, path).
// Keep results small (a few KiB): they travel through one pipe. WORK must not touch shared state: it runs in
// a forked copy of the process. A child that waits on a lock it inherited from another thread (it would wait
// forever) is killed and WORK started again in a new one, within the same LIMIT: WORK must be safe to repeat.
Result<std::string> run_bounded(const std::function<Result<std::string>()>& work,
                                std::chrono::milliseconds limit);

// run_bounded, with the child giving up a setuid program's privileges first (group, then user, to the real
// ids): what WORK finds is what the user running the program may see, and the caller keeps its privileges.
Result<std::string> run_bounded_as_real_user(const std::function<Result<std::string>()>& work,
                                             std::chrono::milliseconds limit);

// The same for a trivially copyable value (a struct stat, a struct statfs, a small POD of the caller's).
template <typename T>
Result<T> run_bounded_value(const std::function<Result<T>()>& work, std::chrono::milliseconds limit) {
  static_assert(std::is_trivially_copyable_v<T>, "run_bounded_value sends T as raw bytes");
  auto bytes = run_bounded(
      [&work]() -> Result<std::string> {
        Result<T> value = work();
        if (!value) return tl::unexpected<Error>(value.error());
        return std::string(reinterpret_cast<const char*>(&*value), sizeof(T));
      },
      limit);
  if (!bytes) return tl::unexpected<Error>(bytes.error());
  if (bytes->size() != sizeof(T)) return fail(EPROTO, "bounded call", {}, "short result from child");
  T out;
  std::memcpy(&out, bytes->data(), sizeof(T));
  return out;
}

}  // namespace detach

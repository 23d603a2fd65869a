// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/result.h"

#include <cerrno>
#include <cstring>

namespace detach {

std::string Error::message() const {
  std::string out = op;
  if (!path.empty()) out += (out.empty() ? "" : " ") + path;
  if (!detail.empty()) out += (out.empty() ? "" : ": ") + detail;
  if (err != 0) out += (out.empty() ? "" : ": ") + std::string(std::strerror(err));
  return out;
}

tl::unexpected<Error> fail_errno(std::string op, std::string path) {
  int saved = errno;
  return fail(saved, std::move(op), std::move(path));
}

}  // namespace detach

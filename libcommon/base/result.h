// SPDX-License-Identifier: GPL-2.0-or-later
// Errors as values: every fallible call in libcommon returns Result<T>.
// C++20 has no std::expected, so tl::expected stands in for it.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace detach {

// What failed, on what, and why: enough for a tool to print a util-linux-style message.
struct Error {
  int err = 0;         // errno value; 0 when the failure is not a system error
  std::string op;      // "open", "statx", "listmount", "parse" ...
  std::string path;    // the object the operation was on, may be empty
  std::string detail;  // free text when errno says too little (e.g. a parse error)

  // "open /dev/loop0: Device or resource busy"
  std::string message() const;
};

template <typename T>
using Result = tl::expected<T, Error>;

using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> fail(int err, std::string op, std::string path = {}, std::string detail = {}) {
  return tl::unexpected<Error>(Error{err, std::move(op), std::move(path), std::move(detail)});
}

// Captures errno at the call: use right after the failing syscall.
tl::unexpected<Error> fail_errno(std::string op, std::string path = {});

}  // namespace detach

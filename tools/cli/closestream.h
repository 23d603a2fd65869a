// SPDX-License-Identifier: GPL-2.0-or-later
// util-linux's close_stdout(): output that could not be written is a failure (`tool >/dev/full` must not
// exit 0), reported once as "prog: write error[: strerror]".
#pragma once

#include <cstddef>
#include <string>

namespace cli {

// Flushes and closes stdout; on a write error (a closed pipe is none) prints util-linux's message and ends
// the process with FAIL_CODE. Otherwise returns CODE, for `return finish(code);` at every exit of main.
int finish(int code, int fail_code);

// Prints a --help TEXT that holds EXTRA bytes the original's help does not (our options) with stdout buffered
// as the original's is, plus EXTRA: a write error then shows as it does for the original, at the final flush
// with its reason (finish) when the original's help fits its buffer, else midway without one. Call it before
// anything else is printed.
void print_help(const std::string& text, std::size_t extra);

}  // namespace cli

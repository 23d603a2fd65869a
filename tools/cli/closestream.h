// SPDX-License-Identifier: GPL-2.0-or-later
// util-linux's close_stdout(): output that could not be written is a failure (`tool >/dev/full` must not
// exit 0), reported once as "prog: write error[: strerror]".
#pragma once

namespace cli {

// Flushes and closes stdout; on a write error (a closed pipe is none) prints util-linux's message and ends
// the process with FAIL_CODE. Otherwise returns CODE, for `return finish(code);` at every exit of main.
int finish(int code, int fail_code);

}  // namespace cli

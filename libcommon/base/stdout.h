// SPDX-License-Identifier: GPL-2.0-or-later
// util-linux's closestream: output that could not be written is a failure (`tool >/dev/full` must not exit
// 0).
#pragma once

namespace detach {

// Flushes stdout and closes a duplicate of its fd (NFS reports write errors at close). False on any error;
// errno then says which, or is 0 when the error was seen while printing (ferror) and its cause is lost.
// A closed stdout (EBADF) is no error.
bool stdout_flushed();

}  // namespace detach

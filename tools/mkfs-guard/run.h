// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard's two modes, each a short list of steps over guard.h: check devices, or run a mkfs on devices
// checked free. Each returns the exit code.
#pragma once

#include "options.h"

namespace detach::guard {

int run_check(const Options& options);
int run_mkfs(const Options& options);

}  // namespace detach::guard

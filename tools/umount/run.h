// SPDX-License-Identifier: GPL-2.0-or-later
// util-linux 2.38.1's umount procedures on libmount's context: one target, -R, -A, -a, their messages and
// exit codes; each umount wrapped by our Aftermath.
#pragma once

#include "aftermath.h"
#include "context.h"
#include "options.h"

namespace umount_tool {

struct Session {
  Context& ctx;
  const Config& cfg;
  Aftermath& aftermath;
};

// Unmounts what the command line names; the exit code as util-linux computes it (a sum for several targets,
// capped at 255 by the caller; an OR for -a).
int run(Session& s);

}  // namespace umount_tool

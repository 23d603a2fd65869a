// SPDX-License-Identifier: GPL-2.0-or-later
// findmnt: util-linux 2.38.1's findmnt, plus --detached (lazily unmounted filesystems that are still pinned).
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/closestream.h"
#include "cli/diag.h"
#include "cli/i18n.h"
#include "detached.h"
#include "options.h"
#include "run.h"
#include "settle.h"
#include "usage.h"

int main(int argc, char* argv[]) {
  // The locale decides the language, the tree characters and size decimals, as in util-linux.
  cli::init_i18n(cli::Upstream::UtilLinux);
  cli::set_program_name(argv[0], "findmnt");

  // Parse the command line; --help, --version and bad options end here.
  findmnt::ParseOutcome parsed = findmnt::parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (parsed.exit_code) return cli::finish(*parsed.exit_code, EXIT_FAILURE);
  if (parsed.config.list_columns) return cli::finish(findmnt::list_columns(parsed.config), EXIT_FAILURE);

  // Settle columns, table type and filters the way findmnt does before reading any table.
  if (auto code = findmnt::settle_config(parsed.config)) return cli::finish(*code, EXIT_FAILURE);
  findmnt::Context ctx(std::move(parsed.config));

  // Read, select, print: the mount table, or the detached mounts of a system snapshot.
  int code = ctx.cfg.detached ? findmnt::run_detached(ctx) : findmnt::run_mount_table(ctx);
  return cli::finish(code, EXIT_FAILURE);
}

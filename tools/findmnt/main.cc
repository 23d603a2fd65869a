// findmnt: util-linux 2.38.1's findmnt, plus --detached (lazily unmounted filesystems that are still pinned).
#include <unistd.h>
#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/stdout.h"
#include "detached.h"
#include "diag.h"
#include "options.h"
#include "run.h"
#include "settle.h"
#include "usage.h"

namespace {

// A write error on stdout fails the run, with util-linux's message (a closed pipe is no error).
int finish(int code) {
  if (!detach::stdout_flushed() && errno != EPIPE) {
    if (errno)
      findmnt::warn("write error", errno);
    else
      findmnt::warnx("write error");
    _exit(EXIT_FAILURE);
  }
  return code;
}

}  // namespace

int main(int argc, char* argv[]) {
  // The locale decides the tree characters and size decimals, as in util-linux.
  std::setlocale(LC_ALL, "");
  findmnt::set_program_name(argv[0]);

  // Parse the command line; --help, --version and bad options end here.
  findmnt::ParseOutcome parsed = findmnt::parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (parsed.exit_code) return finish(*parsed.exit_code);
  if (parsed.config.list_columns) return finish(findmnt::list_columns(parsed.config));

  // Settle columns, table type and filters the way findmnt does before reading any table.
  if (auto code = findmnt::settle_config(parsed.config)) return finish(*code);
  findmnt::Context ctx(std::move(parsed.config));

  // Read, select, print: the mount table, or the detached mounts of a system snapshot.
  int code = ctx.cfg.detached ? findmnt::run_detached(ctx) : findmnt::run_mount_table(ctx);
  return finish(code);
}

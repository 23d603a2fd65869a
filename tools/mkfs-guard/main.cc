// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard: before mkfs, tell whether the devices are free, and if not, exactly why and by whom; or run a
// mkfs only on devices checked free.
#include "cli/closestream.h"
#include "cli/diag.h"
#include "cli/i18n.h"
#include "exit_codes.h"
#include "options.h"
#include "run.h"

int main(int argc, char** argv) {
  using namespace detach::guard;
  cli::init_i18n(cli::Upstream::None);  // the user's language (po/)
  cli::set_program_name(argc > 0 ? argv[0] : nullptr, "mkfs-guard");
  // Parse the command line: devices, or a mkfs command after --.
  ParsedCommandLine parsed = parse_command_line(argc, argv);
  // --help, --version and bad options end here; a help that could not be written is a failure too.
  if (!parsed.options) return cli::finish(parsed.exit_code, exit_code(Outcome::Error, false));
  const Options& options = *parsed.options;
  // Check the devices, or check those the mkfs takes and run it.
  return options.wrapping() ? run_mkfs(options) : run_check(options);
}

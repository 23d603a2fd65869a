// SPDX-License-Identifier: GPL-2.0-or-later
// umount: util-linux 2.38.1's umount on libmount, that also says why a target is busy, what a umount left
// alive, records lazy detaches, and can --wait for a filesystem's real end.
#include <string>
#include <vector>

#include "aftermath.h"
#include "cli/closestream.h"
#include "cli/diag.h"
#include "cli/environment.h"
#include "cli/i18n.h"
#include "context.h"
#include "options.h"
#include "run.h"

int main(int argc, char* argv[]) {
  // As util-linux: the environment a setuid program must not trust goes first (back when it drops its
  // privileges).
  cli::RemovedEnvironment removed = cli::sanitize_environment();
  cli::init_i18n(cli::Upstream::UtilLinux);  // as util-linux: setlocale, bindtextdomain, textdomain
  cli::set_program_name(argv[0], "umount");
  umount_tool::Context ctx(std::move(removed));

  // Parse the command line into the libmount context; --help, --version and bad options end here.
  umount_tool::ParseOutcome parsed =
      umount_tool::parse_options(std::vector<std::string>(argv + 1, argv + argc), ctx);
  if (parsed.exit_code) return cli::finish(*parsed.exit_code, EXIT_FAILURE);

  // Unmount what it names, each umount noted before and followed after.
  umount_tool::Aftermath aftermath(ctx, parsed.config);
  umount_tool::Session session{ctx, parsed.config, aftermath};
  int rc = umount_tool::run(session);

  // --wait: until the filesystems those umounts left alive are really gone.
  if (parsed.config.wait) rc |= aftermath.finish_waiting();
  return cli::finish(rc < 256 ? rc : 255, EXIT_FAILURE);
}

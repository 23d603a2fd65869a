// SPDX-License-Identifier: GPL-2.0-or-later
#include "context.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "cli/diag.h"
#include "cli/i18n.h"

namespace umount_tool {
namespace {

int table_parser_errcb(libmnt_table*, const char* filename, int line) {
  if (filename) cli::warnx(cli::cformat(cli::ul("%s: parse error at line %d -- ignored"), filename, line));
  return 1;
}

// util-linux's drop_permissions(): the group first, then the user.
int drop_permissions() {
  errno = 0;
  if (::setgid(::getgid()) < 0 || ::setuid(::getuid()) < 0) return errno ? -errno : -1;
  return 0;
}

}  // namespace

Context::Context(cli::RemovedEnvironment removed_environment)
    : removed_environment_(std::move(removed_environment)) {
  mnt_init_debug(0);
  cxt_ = mnt_new_context();
  if (cxt_ == nullptr) {
    cli::warn(cli::ul("libmount context allocation failed"), errno);
    std::exit(MNT_EX_SYSERR);
  }
  mnt_context_set_tables_errcb(cxt_, table_parser_errcb);
}

void Context::drop_privileges() {
  const uid_t ruid = ::getuid();
  const uid_t euid = ::geteuid();
  if (ruid != 0 && euid == 0 && drop_permissions() != 0) {
    cli::warn(cli::ul("drop permissions failed"), errno);
    std::exit(MNT_EX_FAIL);
  }
  // Paranoia, as util-linux: getting root back must fail now.
  if (ruid != 0 && ::setuid(0) == 0) {
    cli::warnx(cli::ul("drop permissions failed."));
    std::exit(MNT_EX_FAIL);
  }
  mnt_context_force_unrestricted(cxt_);
  removed_environment_.restore();
}

bool privileged_for_user() {
  return ::getuid() != 0 && ::geteuid() == 0;
}

}  // namespace umount_tool

// SPDX-License-Identifier: GPL-2.0-or-later
// The libmount context umount works through (util-linux's umount.c uses the same calls), and what a setuid
// umount has to do with its privileges.
#pragma once

#include <libmount.h>

#include "cli/environment.h"

namespace umount_tool {

class Context {
 public:
  // A new libmount context with util-linux's table-parse error callback; ends the process with
  // MNT_EX_SYSERR when libmount cannot allocate one (as util-linux does).
  explicit Context(cli::RemovedEnvironment removed_environment);
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  ~Context() { mnt_free_context(cxt_); }

  libmnt_context* get() const { return cxt_; }
  // libmount's restricted mode: setuid and run by a user other than root.
  bool restricted() const { return mnt_context_is_restricted(cxt_) == 1; }
  // util-linux's suid_drop(): give up the setuid privileges, go on as the user (unrestricted, so libmount
  // does what the kernel lets this user do), with the removed environment back. Ends the process (exit 32)
  // if the privileges cannot be dropped.
  void drop_privileges();

 private:
  libmnt_context* cxt_ = nullptr;
  cli::RemovedEnvironment removed_environment_;
};

// Still running with a setuid root's privileges on behalf of a user.
bool privileged_for_user();

}  // namespace umount_tool

// SPDX-License-Identifier: GPL-2.0-or-later
// Reports printed as psmisc 23.6 prints them: on stdout the pids (" %5d"; "kernel" for a kernel holder with
// -v), on stderr the name, the access letters, -u's user and -v's table, byte for byte.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

#include "command_line.h"
#include "output.h"
#include "query.h"

namespace fuser {

struct ProcessIdentity {
  uid_t uid = 0;        // who /proc/PID belongs to (0 when unknown, as psmisc takes it then)
  std::string command;  // /proc/PID's command, as the kernel keeps it; empty when unknown ("???")
};

class Printer {
 public:
  using Identify = std::function<ProcessIdentity(pid_t)>;
  using UserName = std::function<std::optional<std::string>(uid_t)>;

  Printer(const Options& options, Output& out, Identify identify, UserName user_name)
      : options_(options), out_(out), identify_(std::move(identify)), user_name_(std::move(user_name)) {}

  void print(const Report& r);
  // psmisc's answer for the exit status: something was printed (a process; with -v a kernel holder too).
  bool matched() const { return matched_; }

 private:
  void entry(const Report& r, std::size_t i, std::size_t& len, bool first);
  std::string user_of(uid_t uid);

  const Options& options_;
  Output& out_;
  Identify identify_;
  UserName user_name_;
  bool header_ = false;
  bool matched_ = false;
};

// The command as psmisc shows it: what /proc/PID/stat shows up to the first ')' (at most 100 bytes), bytes
// that do not print as \ooo, cut at 64 bytes.
std::string psmisc_command(const std::string& comm);

// " %-8s ": NAME left-aligned in eight columns, a blank on each side.
std::string padded_user(const std::string& name);

}  // namespace fuser

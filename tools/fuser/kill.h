// SPDX-License-Identifier: GPL-2.0-or-later
// -k: ending the processes of a report as psmisc does (-SIGNAL, -w writers only, -i asking first), but each
// through a pidfd and only once it is seen still holding what the scan found it holding, so that a process
// that got a pid freed since the scan is never signalled.
#pragma once

#include <cstdio>
#include <map>

#include "command_line.h"
#include "model/mount.h"
#include "output.h"
#include "query.h"
#include "scan/end_process.h"
#include "scan/scan.h"

namespace fuser {

class Killer {
 public:
  // ANSWERS: where -i reads its answers (stdin).
  Killer(const Options& options, const detach::ScanOptions& scan, detach::IdKind ids, Output& out,
         std::FILE* answers)
      : options_(options), scan_(scan), ids_(ids), out_(out), answers_(answers) {}

  void kill(const Report& r);
  // psmisc's answer for the exit status under -k: some process was signalled.
  bool killed() const { return killed_; }

 private:
  bool ask(pid_t pid);
  // The process to signal, opened and checked; null (with the message said) when it is not to be.
  const detach::HeldProcess* held_for(const Report& r, const ProcessUse& use);

  const Options& options_;
  const detach::ScanOptions& scan_;
  detach::IdKind ids_;
  Output& out_;
  std::FILE* answers_;
  // Processes checked and signalled already: a later name signals them again, as psmisc does, without a
  // second check (the pidfd still names the same process; it may be exiting by now).
  std::map<pid_t, detach::HeldProcess> held_;
  bool killed_ = false;
};

}  // namespace fuser

// SPDX-License-Identifier: GPL-2.0-or-later
// Building a Report: pins gathered per process with psmisc's access letters, kernel holders in psmisc's
// order.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "match.h"
#include "query.h"

namespace fuser {

class Uses {
 public:
  explicit Uses(const MatchContext& ctx) : ctx_(ctx) {}

  void add(const detach::Pin& pin, unsigned access);
  // A task pin, with the letter of its kind (c, r, e, f or F, m).
  void add_task_pin(const detach::Pin& pin);
  // An fd on a socket of the query: sockets are always open for reading and writing (F).
  void add_socket(const detach::Pin& pin) { add(pin, kFile | kFileWrite); }
  // The processes, by pid.
  std::vector<ProcessUse> take();

 private:
  bool writes(const detach::Pin& pin) const;

  const MatchContext& ctx_;
  std::map<pid_t, ProcessUse> by_pid_;
};

// Whether PIN is an fd on one of Q's sockets.
bool is_socket_of(const detach::Pin& pin, const Query& q, const MatchContext& ctx);

// A kernel holder for R: psmisc shows one swap, one mount and one knfsd line per name; loops and detached
// mounts are each their own.
void add_kernel(Report& r, KernelKind kind, const std::string& command);
// A row for each kernel object among PINS (loop devices, swap files, overlays, file-backed mounts,
// binfmt_misc entries, uprobes), named as the explanations name them; what the scan could not place is left
// out (fuser names what holds a name, not what may).
void add_kernel_pins(Report& r, const std::vector<const detach::Pin*>& pins,
                     const detach::Snapshot& snapshot);

// psmisc prepends its kernel lines as it finds them (knfsd, mounts, swaps): swap, mount, knfsd, then ours.
void order_kernel(Report& r);

}  // namespace fuser

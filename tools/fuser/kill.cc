// SPDX-License-Identifier: GPL-2.0-or-later
#include "kill.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstring>

#include "base/i18n.h"
#include "cli/i18n.h"

namespace fuser {

namespace {

// psmisc's "Could not kill process PID: WHY" line.
std::string cannot_kill(pid_t pid, const std::string& why) {
  return cli::cformat(cli::psmisc("Could not kill process %d: %s\n"), static_cast<int>(pid), why.c_str());
}

}  // namespace

bool Killer::ask(pid_t pid) {
  std::fflush(stdout);
  char* line = nullptr;
  std::size_t size = 0;
  int answer = 0;
  while (true) {
    out_.err(cli::cformat(cli::psmisc("Kill process %d ? (y/N) "), static_cast<int>(pid)));
    std::fflush(stderr);
    if (::getline(&line, &size, answers_) < 0 || line[0] == '\n') break;
    // rpmatch: the locale's yes and no (^[yY] and ^[nN] in C); anything else asks again.
    if (int yes = ::rpmatch(line); yes >= 0) {
      answer = yes;
      break;
    }
  }
  std::free(line);
  return answer == 1;
}

const detach::HeldProcess* Killer::held_for(const Report& r, const ProcessUse& use) {
  if (auto it = held_.find(use.pid); it != held_.end()) return &it->second;
  auto held = detach::HeldProcess::open(use.pid, use.pins, scan_, ids_);
  if (!held) {
    out_.err(cannot_kill(use.pid, std::strerror(held.error().err)));
    return nullptr;
  }
  if (!*held) {
    out_.err(cannot_kill(use.pid, detach::trf("it no longer uses {0}", r.label)));
    return nullptr;
  }
  return &held_.emplace(use.pid, std::move(**held)).first->second;
}

void Killer::kill(const Report& r) {
  const pid_t self = ::getpid(), parent = ::getppid();
  for (const ProcessUse& use : r.processes) {
    if (use.pid == self) continue;
    if (options_.writeonly && !(use.access & kFileWrite)) continue;
    if (r.detached && use.pid == parent) {
      // Ending detached mounts' pinners never ends the shell (or script) that asked.
      out_.err("fuser: " + detach::trf("not killing process {0}: it is fuser's parent", use.pid) + "\n");
      continue;
    }
    if (options_.interactive && !ask(use.pid)) continue;
    const detach::HeldProcess* held = held_for(r, use);
    if (held == nullptr) continue;
    if (auto sent = held->signal(options_.signal); !sent) {
      out_.err(cannot_kill(use.pid, std::strerror(sent.error().err)));
      continue;
    }
    killed_ = true;
  }
}

}  // namespace fuser

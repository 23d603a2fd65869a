// SPDX-License-Identifier: GPL-2.0-or-later
#include "kill.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstring>

#include "scan/recheck.h"

namespace fuser {

bool Killer::ask(pid_t pid) {
  std::fflush(stdout);
  char* line = nullptr;
  std::size_t size = 0;
  int answer = 0;
  while (true) {
    out_.err("Kill process " + std::to_string(pid) + " ? (y/N) ");
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

const detach::ProcessHandle* Killer::handle_for(const Report& r, const ProcessUse& use) {
  if (auto it = handles_.find(use.pid); it != handles_.end()) return &it->second;
  const std::string prefix = "Could not kill process " + std::to_string(use.pid) + ": ";
  auto handle = detach::ProcessHandle::open(use.pid);
  if (!handle) {
    out_.err(prefix + std::strerror(handle.error().err) + "\n");
    return nullptr;
  }
  // The pidfd names the process that has the pid now: it must be the one that was found using the name.
  bool holds = false;
  for (const detach::Pin* pin : use.pins) holds = holds || detach::still_holds(scan_, ids_, *pin);
  if (!holds) {
    out_.err(prefix + "it no longer uses " + r.label + "\n");
    return nullptr;
  }
  return &handles_.emplace(use.pid, std::move(*handle)).first->second;
}

void Killer::kill(const Report& r) {
  const pid_t self = ::getpid(), parent = ::getppid();
  for (const ProcessUse& use : r.processes) {
    if (use.pid == self) continue;
    if (options_.writeonly && !(use.access & kFileWrite)) continue;
    if (r.detached && use.pid == parent) {
      // Ending detached mounts' pinners never ends the shell (or script) that asked.
      out_.err("fuser: not killing process " + std::to_string(use.pid) + ": it is fuser's parent\n");
      continue;
    }
    if (options_.interactive && !ask(use.pid)) continue;
    const detach::ProcessHandle* handle = handle_for(r, use);
    if (handle == nullptr) continue;
    if (auto sent = handle->signal(options_.signal); !sent) {
      out_.err("Could not kill process " + std::to_string(use.pid) + ": " + std::strerror(sent.error().err) +
               "\n");
      continue;
    }
    killed_ = true;
  }
}

}  // namespace fuser

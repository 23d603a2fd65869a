// SPDX-License-Identifier: GPL-2.0-or-later
// Where fuser writes: pids on stdout, everything else on stderr, in the order psmisc writes them (stdout is
// flushed after each pid, so that both interleave on a terminal as psmisc's do). Tests record it instead.
#pragma once

#include <string>

namespace fuser {

class Output {
 public:
  virtual ~Output() = default;
  virtual void out(const std::string& text) = 0;
  virtual void err(const std::string& text) = 0;
};

class StdOutput : public Output {
 public:
  void out(const std::string& text) override;
  void err(const std::string& text) override;
};

}  // namespace fuser

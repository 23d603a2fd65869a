// SPDX-License-Identifier: GPL-2.0-or-later
// A scan's time, phase by phase, printed to stderr when DETACH_SCAN_DEBUG is set, as libmount prints its
// own when LIBMOUNT_DEBUG is: where a slow scan spends its time, and how bench/ shows what one part of the
// scan (the census of kernel pins) costs within the same run, free of the machine's noise between runs.
// Unset, it costs one getenv per snapshot.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace detach::scan {

class PhaseClock {
 public:
  PhaseClock();  // on when DETACH_SCAN_DEBUG is set (secure_getenv: never a setuid caller's environment)
  PhaseClock(const PhaseClock&) = delete;
  PhaseClock& operator=(const PhaseClock&) = delete;
  ~PhaseClock();  // prints each phase and the total, one line each

  // Runs STEP, and when on, records how long it took under PHASE ("census/object pins": the census's
  // phases are named "census/...", so that their share can be summed).
  template <class Step>
  void time(const char* phase, Step&& step) {
    if (!on_) {
      std::forward<Step>(step)();
      return;
    }
    add(phase, measure(std::forward<Step>(step)));
  }
  // Records TOOK under PHASE: a step that ran on a thread of its own, timed there by measure().
  void add(const char* phase, std::chrono::steady_clock::duration took);
  // How long STEP took to run.
  template <class Step>
  static std::chrono::steady_clock::duration measure(Step&& step) {
    const auto started = std::chrono::steady_clock::now();
    std::forward<Step>(step)();
    return std::chrono::steady_clock::now() - started;
  }

 private:
  bool on_ = false;
  std::chrono::steady_clock::time_point started_;
  std::vector<std::pair<std::string, std::chrono::steady_clock::duration>> phases_;
};

}  // namespace detach::scan

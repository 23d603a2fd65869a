// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/phase_clock.h"

#include <cstdio>
#include <cstdlib>

namespace detach::scan {
namespace {

double milliseconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

PhaseClock::PhaseClock() : on_(secure_getenv("DETACH_SCAN_DEBUG") != nullptr) {
  if (on_) started_ = std::chrono::steady_clock::now();
}

PhaseClock::~PhaseClock() {
  if (!on_) return;
  // A debug aid: a failed write to stderr is no reason to fail the tool.
  for (const auto& [phase, took] : phases_)
    std::fprintf(stderr, "detach-scan: %10.3f ms  %s\n", milliseconds(took), phase.c_str());
  std::fprintf(stderr, "detach-scan: %10.3f ms  total\n",
               milliseconds(std::chrono::steady_clock::now() - started_));
}

void PhaseClock::add(const char* phase, std::chrono::steady_clock::duration took) {
  if (on_) phases_.emplace_back(phase, took);
}

}  // namespace detach::scan

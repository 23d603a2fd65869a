// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace detach {

void run_in_parallel(std::size_t count, std::size_t threads, const std::function<void(std::size_t)>& work) {
  std::atomic<std::size_t> next{0};
  // The next index goes to whichever thread is free: slow items do not hold up the rest.
  auto drain = [&] {
    for (std::size_t i = next++; i < count; i = next++) work(i);
  };
  std::vector<std::thread> helpers;
  const std::size_t extra = std::min(count, std::max<std::size_t>(threads, 1)) - (count > 0 ? 1 : 0);
  helpers.reserve(extra);
  for (std::size_t t = 0; t < extra; ++t) helpers.emplace_back(drain);
  drain();
  for (std::thread& t : helpers) t.join();
}

}  // namespace detach

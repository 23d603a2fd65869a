// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/unresponsive.h"

namespace detach {

bool UnresponsiveBackings::ask_key(const std::string& key, Clock::time_point now) const {
  auto it = last_asked_.find(key);
  return it == last_asked_.end() || now - it->second >= retry_after_;
}

void UnresponsiveBackings::keep(std::map<std::string, Clock::time_point>& next, const std::string& key,
                                Clock::time_point now) const {
  // One not asked this time (its retry was not due) keeps the time it was last asked; one asked now, now.
  auto it = last_asked_.find(key);
  next.emplace(key, it != last_asked_.end() && now - it->second < retry_after_ ? it->second : now);
}

void UnresponsiveBackings::learn(const Snapshot& snapshot, Clock::time_point now) {
  std::map<std::string, Clock::time_point> next;
  for (const LoopDevice& loop : snapshot.loops)
    if (loop.unresponsive) keep(next, key_of(loop), now);
  for (const SwapArea& swap : snapshot.swaps)
    if (swap.unresponsive) keep(next, key_of(swap), now);
  last_asked_ = std::move(next);
}

}  // namespace detach

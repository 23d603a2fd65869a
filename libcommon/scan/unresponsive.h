// SPDX-License-Identifier: GPL-2.0-or-later
// The backing files of loop devices and swap files whose filesystem did not answer (a dead FUSE or NFS
// server), remembered across snapshots. Asking one costs a scan the whole bound on calls into filesystems
// (seconds), and a watcher takes a snapshot at every mount event: so one that did not answer is asked again
// only once a retry interval has passed since, and meanwhile taken as still not answering. The watcher gives
// ask() to ScanOptions::ask_loop_status and ask_swap_file, and learn() what the snapshot found, at one NOW.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "model/snapshot.h"

namespace detach {

class UnresponsiveBackings {
 public:
  using Clock = std::chrono::steady_clock;
  explicit UnresponsiveBackings(std::chrono::milliseconds retry_after) : retry_after_(retry_after) {}

  // Whether to ask the filesystem of LOOP's backing file (of swap file SWAP) at NOW.
  bool ask(const LoopDevice& loop, Clock::time_point now) const { return ask_key(key_of(loop), now); }
  bool ask(const SwapArea& swap, Clock::time_point now) const { return ask_key(key_of(swap), now); }

  // What SNAPSHOT found, its loop devices and swap files asked (or not) through ask() at NOW: a backing file
  // that did not answer is remembered, with the time it was last asked; one that answered, or is no longer
  // there, is forgotten.
  void learn(const Snapshot& snapshot, Clock::time_point now);

  std::size_t size() const { return last_asked_.size(); }

 private:
  // A loop device rebound to another file is another backing file.
  static std::string key_of(const LoopDevice& loop) { return "loop " + loop.name + "\n" + loop.backing_file; }
  static std::string key_of(const SwapArea& swap) { return "swap " + swap.path; }
  bool ask_key(const std::string& key, Clock::time_point now) const;
  void keep(std::map<std::string, Clock::time_point>& next, const std::string& key,
            Clock::time_point now) const;

  std::chrono::milliseconds retry_after_;
  std::map<std::string, Clock::time_point> last_asked_;  // when each that did not answer was last asked
};

}  // namespace detach

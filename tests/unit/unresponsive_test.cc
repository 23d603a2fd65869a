// SPDX-License-Identifier: GPL-2.0-or-later
// What a watcher remembers of loop devices and swap files whose filesystem did not answer: asked again only
// once the retry interval has passed, forgotten once they answer or are gone.
#include "scan/unresponsive.h"

#include <gtest/gtest.h>

namespace detach {
namespace {

using std::chrono::seconds;
using Clock = UnresponsiveBackings::Clock;

LoopDevice Loop(const std::string& name, const std::string& file, bool unresponsive) {
  LoopDevice loop;
  loop.name = name;
  loop.backing_file = file;
  loop.unresponsive = unresponsive;
  return loop;
}

SwapArea SwapFile(const std::string& path, bool unresponsive) {
  SwapArea swap;
  swap.path = path;
  swap.is_file = true;
  swap.unresponsive = unresponsive;
  return swap;
}

// Given a loop device that did not answer, we should not ask it again before the retry interval has passed
// since it was asked, then ask it, and keep the time of that ask (not of the snapshots that skipped it).
TEST(UnresponsiveBackings, AskedAgainOnlyOnceTheRetryIntervalHasPassed) {
  UnresponsiveBackings memory(seconds(30));
  const Clock::time_point t0{};
  Snapshot snap;
  snap.loops = {Loop("loop3", "/mnt/dead/img", true)};
  EXPECT_TRUE(memory.ask(snap.loops[0], t0)) << "nothing is known of it yet";
  memory.learn(snap, t0);
  EXPECT_EQ(memory.size(), 1u);
  EXPECT_FALSE(memory.ask(snap.loops[0], t0 + seconds(10)));
  memory.learn(snap, t0 + seconds(10));  // skipped, so still unresponsive in the snapshot
  EXPECT_FALSE(memory.ask(snap.loops[0], t0 + seconds(29))) << "the skip at 10 s is no ask";
  EXPECT_TRUE(memory.ask(snap.loops[0], t0 + seconds(30)));
  memory.learn(snap, t0 + seconds(30));  // asked, and no answer again
  EXPECT_FALSE(memory.ask(snap.loops[0], t0 + seconds(59)));
  EXPECT_TRUE(memory.ask(snap.loops[0], t0 + seconds(60)));
}

// Given a backing file that answered, or a loop device no longer bound (or bound to another file), we should
// forget it and ask at once.
TEST(UnresponsiveBackings, ForgottenOnceItAnswersOrIsGone) {
  UnresponsiveBackings memory(seconds(30));
  const Clock::time_point t0{};
  Snapshot first;
  first.loops = {Loop("loop3", "/mnt/dead/img", true), Loop("loop4", "/mnt/dead/other", true)};
  first.swaps = {SwapFile("/mnt/nfs/swap", true)};
  memory.learn(first, t0);
  EXPECT_EQ(memory.size(), 3u);
  EXPECT_FALSE(memory.ask(first.swaps[0], t0 + seconds(1)));
  EXPECT_TRUE(memory.ask(Loop("loop3", "/srv/new.img", false), t0 + seconds(1)))
      << "loop3 rebound to another file is another backing file";

  Snapshot second;
  second.loops = {Loop("loop3", "/mnt/dead/img", false)};  // it answered; loop4 and the swap file are gone
  memory.learn(second, t0 + seconds(30));
  EXPECT_EQ(memory.size(), 0u);
  EXPECT_TRUE(memory.ask(first.loops[0], t0 + seconds(31)));
  EXPECT_TRUE(memory.ask(first.loops[1], t0 + seconds(31)));
  EXPECT_TRUE(memory.ask(first.swaps[0], t0 + seconds(31)));
}

}  // namespace
}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Pinners, not pins: grouping per process (and thread, and kernel object), the words that summarise a
// pinner's pins, and the JSON that gives them as data.
#include <gtest/gtest.h>

#include "explain/pinner.h"
#include "model/pinner.h"
#include "model/snapshot.h"

namespace detach {
namespace {

Pin fd_pin(pid_t pid, int fd, Access access, int fd_last = -1) {
  Pin pin;
  pin.kind = PinKind::Fd;
  pin.pid = pid;
  pin.mount = 11;
  pin.fd = fd;
  pin.fd_last = fd_last;
  pin.access = access;
  return pin;
}

Pin link_pin(PinKind kind, pid_t pid, const std::string& path = {}) {
  Pin pin;
  pin.kind = kind;
  pin.pid = pid;
  pin.mount = 11;
  pin.path = path;
  return pin;
}

std::vector<const Pin*> all(const std::vector<Pin>& pins) {
  std::vector<const Pin*> out;
  out.reserve(pins.size());
  for (const Pin& p : pins) out.push_back(&p);
  return out;
}

Snapshot with_tasks(std::vector<Pin> pins) {
  Snapshot s;
  s.pins = std::move(pins);
  s.tasks[100] = Task{100, "python3", 0, "root", "", "app.service", 0};
  s.tasks[200] = Task{200, "sleep", 1000, "alice", "", "", 0};
  return s;
}

TEST(GroupPinners, OnePinnerPerProcessInPidOrderThenKernelObjects) {
  Pin loop;
  loop.kind = PinKind::LoopBacking;
  loop.holder = "/dev/loop1";
  std::vector<Pin> pins = {fd_pin(200, 3, Access::Read), loop, link_pin(PinKind::Cwd, 100),
                           fd_pin(100, 4, Access::Read), link_pin(PinKind::Cwd, 200)};
  std::vector<Pinner> pinners = group_pinners(all(pins));
  ASSERT_EQ(pinners.size(), 3u);
  EXPECT_EQ(pinners[0].pid, 100);
  EXPECT_EQ(pinners[0].pins.size(), 2u);
  EXPECT_EQ(pinners[0].pins[0]->kind, PinKind::Cwd);  // cwd is read before fds
  EXPECT_EQ(pinners[1].pid, 200);
  EXPECT_EQ(pinners[2].kind, PinnerKind::Kernel);
  EXPECT_EQ(pinners[2].holder, "/dev/loop1");
}

TEST(GroupPinners, ThreadWithItsOwnTableIsAPinnerOfItsOwnAfterItsProcess) {
  Pin own = link_pin(PinKind::Cwd, 100);
  own.tid = 105;
  std::vector<Pin> pins = {own, link_pin(PinKind::Cwd, 100)};
  std::vector<Pinner> pinners = group_pinners(all(pins));
  ASSERT_EQ(pinners.size(), 2u);
  EXPECT_EQ(pinners[0].kind, PinnerKind::Process);
  EXPECT_EQ(pinners[1].kind, PinnerKind::Thread);
  EXPECT_EQ(pinners[1].tid, 105);
  Snapshot s = with_tasks(pins);
  EXPECT_EQ(describe_pinner(s, pinners[1], detach::Words::program()), "100/105 (python3) cwd");
}

TEST(SummarizePins, ConsecutiveFdsOfOneAccessModeAreOneRange) {
  // Given fds 3..1002 read (as scattered single pins and a range) and 1003 write, we should read two groups.
  std::vector<Pin> pins = {fd_pin(100, 3, Access::Read, 500),    fd_pin(100, 501, Access::Read),
                           fd_pin(100, 502, Access::Read, 1002), fd_pin(100, 1003, Access::Write),
                           link_pin(PinKind::Cwd, 100),          link_pin(PinKind::Mmap, 100, "/lib/x.so")};
  std::vector<Pinner> pinners = group_pinners(all(pins));
  ASSERT_EQ(pinners.size(), 1u);
  EXPECT_EQ(summarize_pins(pinners[0], detach::Words::program()),
            "cwd, fd 3-1002 (read), fd 1003 (write), mmap /lib/x.so");
  EXPECT_EQ(fd_count(pinners[0]), 1001u);
}

TEST(SummarizePins, GapsAndMixedModesGroupByMode) {
  // Given read fds 3, 5, 6 and write fds 4, 7, we should read each mode once with its ranges, in fd order.
  std::vector<Pin> pins = {fd_pin(100, 3, Access::Read), fd_pin(100, 4, Access::Write),
                           fd_pin(100, 5, Access::Read, 6), fd_pin(100, 7, Access::Write)};
  std::vector<Pinner> pinners = group_pinners(all(pins));
  EXPECT_EQ(summarize_pins(pinners[0], detach::Words::program()), "fd 3,5-6 (read), fd 4,7 (write)");
}

TEST(SummarizePins, ManyRangesAreCountedNotListed) {
  // Given every other fd from 3 to 201 open for read, the words stay short.
  std::vector<Pin> pins;
  for (int fd = 3; fd <= 201; fd += 2) pins.push_back(fd_pin(100, fd, Access::Read));
  std::vector<Pinner> pinners = group_pinners(all(pins));
  EXPECT_EQ(summarize_pins(pinners[0], detach::Words::program()), "fd 3,5,7,9 and 96 more (read)");
}

TEST(SummarizePins, ManyMappingsAreCounted) {
  std::vector<Pin> pins;
  pins.reserve(10);
  for (int i = 0; i < 10; ++i) pins.push_back(link_pin(PinKind::Mmap, 100, "/lib/l" + std::to_string(i)));
  std::vector<Pinner> pinners = group_pinners(all(pins));
  EXPECT_EQ(summarize_pins(pinners[0], detach::Words::program()),
            "mmap /lib/l0, mmap /lib/l1, mmap /lib/l2 and 7 more mmaps");
}

TEST(DescribePinners, NamesEachPinnerOnceAndCountsTheRest) {
  // Given 200 processes with 1,000 fds each, we should name 3 of them and count 197.
  std::vector<Pin> pins;
  for (pid_t pid = 1000; pid < 1200; ++pid) pins.push_back(fd_pin(pid, 3, Access::Read, 1002));
  Snapshot s = with_tasks(pins);
  std::string text = describe_pins(s, all(s.pins), detach::Words::program(), 3);
  EXPECT_EQ(text, "1000 fd 3-1002 (read), 1001 fd 3-1002 (read), 1002 fd 3-1002 (read) and 197 more");
}

TEST(DescribePinners, StopsAtTheCharacterBudgetButNamesTheFirst) {
  std::vector<Pin> pins = {link_pin(PinKind::Cwd, 100), link_pin(PinKind::Cwd, 200)};
  Snapshot s = with_tasks(pins);
  EXPECT_EQ(describe_pins(s, all(s.pins), detach::Words::program(), SIZE_MAX, 5),
            "100 (python3) cwd and 1 more");
}

TEST(PinnerJson, ProcessWithFdRangesAndNullsForWhatIsUnknown) {
  std::vector<Pin> pins = {link_pin(PinKind::Cwd, 200), fd_pin(200, 3, Access::Read, 9),
                           fd_pin(200, 10, Access::Write), link_pin(PinKind::Mmap, 200, "/x.so")};
  pins[2].path = "/log";
  Snapshot s = with_tasks(pins);
  nlohmann::ordered_json j = pinner_json(s, group_pinners(all(s.pins)).front());
  EXPECT_EQ(j["kind"], "process");
  EXPECT_EQ(j["pid"], 200);
  EXPECT_TRUE(j["tid"].is_null());
  EXPECT_EQ(j["command"], "sleep");
  EXPECT_EQ(j["user"], "alice");
  EXPECT_TRUE(j["unit"].is_null());
  ASSERT_EQ(j["pins"].size(), 4u);
  EXPECT_EQ(j["pins"][0]["kind"], "cwd");
  EXPECT_EQ(j["pins"][1]["kind"], "fd");
  EXPECT_EQ(j["pins"][1]["fds"], nlohmann::ordered_json::parse("[[3, 9]]"));
  EXPECT_EQ(j["pins"][1]["access"], "read");
  EXPECT_TRUE(j["pins"][1]["path"].is_null());
  EXPECT_EQ(j["pins"][2]["fds"], nlohmann::ordered_json::parse("[[10, 10]]"));
  EXPECT_EQ(j["pins"][2]["path"], "/log");  // one fd: its path is worth showing
  EXPECT_EQ(j["pins"][3]["kind"], "mmap");
  EXPECT_EQ(j["pins"][3]["path"], "/x.so");
}

TEST(PinnerJson, EachPinListsEveryFdWithItsPath) {
  std::vector<Pin> pins = {fd_pin(100, 3, Access::Read), fd_pin(100, 4, Access::Read)};
  pins[0].path = "/a";
  pins[1].path = "/b";
  Snapshot s = with_tasks(pins);
  nlohmann::ordered_json j = pinner_json(s, group_pinners(all(s.pins)).front(), true);
  ASSERT_EQ(j["pins"].size(), 2u);
  EXPECT_EQ(j["pins"][1]["path"], "/b");
  EXPECT_EQ(j["unit"], "app.service");
}

TEST(PinnerJson, KernelPinnerNamesItsHolder) {
  Pin swap;
  swap.kind = PinKind::SwapFile;
  swap.holder = "/swapfile";
  swap.path = "/swapfile";
  Snapshot s = with_tasks({swap});
  nlohmann::ordered_json j = pinner_json(s, group_pinners(all(s.pins)).front());
  EXPECT_EQ(j["kind"], "swap-file");
  EXPECT_EQ(j["holder"], "/swapfile");
  EXPECT_FALSE(j.contains("pid"));
}

}  // namespace
}  // namespace detach

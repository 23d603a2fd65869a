// SPDX-License-Identifier: GPL-2.0-or-later
// What a tool says of the processes its scan could not read: one line, a few of them named, and whether root
// would see more.
#include "explain/gaps.h"

#include <gtest/gtest.h>

namespace detach {
namespace {

ScanGaps denied(int n, bool unprivileged) {
  ScanGaps gaps;
  gaps.unprivileged = unprivileged;
  for (int i = 1; i <= n; ++i)
    gaps.denied_processes.push_back({i * 10, i == 2 ? "" : "cmd" + std::to_string(i)});
  return gaps;
}

TEST(DeniedProcessesText, NothingDeniedSaysNothing) {
  EXPECT_EQ(denied_processes_text(denied(0, true)), "");
}

TEST(DeniedProcessesText, OneProcessByName) {
  EXPECT_EQ(denied_processes_text(denied(1, true)), "could not read process 10 (cmd1): permission denied");
}

TEST(DeniedProcessesText, SeveralCountedTheFirstThreeNamed) {
  EXPECT_EQ(denied_processes_text(denied(5, true)),
            "could not read 5 processes (permission denied): 10 (cmd1), 20, 30 (cmd3) and 2 more");
  EXPECT_EQ(denied_processes_text(denied(3, true)),
            "could not read 3 processes (permission denied): 10 (cmd1), 20, 30 (cmd3)");
}

TEST(RootSeesMore, OnlyAfterAScanWithoutRootsView) {
  EXPECT_EQ(root_sees_more(denied(2, true)), " (root sees more)");
  EXPECT_EQ(root_sees_more(denied(2, false)), "");
}

}  // namespace
}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Entry point of every integration test binary: enter a private mount namespace first, so that whatever a
// test mounts never reaches the host and goes away with this process at the latest.
#include <gtest/gtest.h>

#include <cstdio>
#include <exception>

#include "harness.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  try {
    itest::EnterPrivateMountNamespace();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "cannot enter a private mount namespace: %s\n", error.what());
    return 1;
  }
  const int result = RUN_ALL_TESTS();
  // Every test skipped (not root, no CI): tell meson "skipped" (77) rather than "ok".
  const testing::UnitTest& run = *testing::UnitTest::GetInstance();
  if (result == 0 && run.test_to_run_count() > 0 && run.skipped_test_count() == run.test_to_run_count())
    return 77;
  return result;
}

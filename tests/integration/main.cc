// SPDX-License-Identifier: GPL-2.0-or-later
// Entry point of every integration test binary: enter a private mount namespace first, so that whatever a
// test mounts never reaches the host and goes away with this process at the latest.
//
// One binary holds many scenarios, one per source file; `--scenario=FILE` (FILE as its name, e.g.
// pin_kinds_test.cc) runs the tests defined in that file and no other, so each scenario stays its own meson
// test with its own name, its own process, namespace and /run. A --gtest_filter given beside it narrows it.
#include <fnmatch.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "harness.h"

namespace {

constexpr std::string_view kScenarioFlag = "--scenario=";

// FILE of --scenario=FILE among the arguments gtest left (it takes its own flags); "" when not given.
std::string ScenarioArgument(int argc, char** argv) {
  std::string scenario;
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]).starts_with(kScenarioFlag)) scenario = argv[i] + kScenarioFlag.size();
  return scenario;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  for (std::string::size_type end; (end = text.find(separator, start)) != std::string::npos; start = end + 1)
    parts.push_back(text.substr(start, end - start));
  parts.push_back(text.substr(start));
  return parts;
}

bool MatchesAny(const std::string& name, const std::string& patterns) {
  if (patterns.empty()) return false;
  for (const std::string& pattern : Split(patterns, ':'))
    if (fnmatch(pattern.c_str(), name.c_str(), 0) == 0) return true;
  return false;
}

// Whether gtest's filter (POSITIVE[-NEGATIVE], ':'-separated globs) selects NAME.
bool FilterSelects(const std::string& filter, const std::string& name) {
  const std::string::size_type dash = filter.find('-');
  const std::string positive = filter.substr(0, dash);
  const std::string negative = dash == std::string::npos ? "" : filter.substr(dash + 1);
  return MatchesAny(name, positive.empty() ? "*" : positive) && !MatchesAny(name, negative);
}

std::string_view FileName(std::string_view path) {
  const std::string_view::size_type slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Sets gtest's filter to the tests defined in FILE (and selected by the filter given, if any); false when
// FILE defines none.
bool SelectScenario(const std::string& file) {
  const testing::UnitTest& unit = *testing::UnitTest::GetInstance();
  const std::string given = GTEST_FLAG_GET(filter);
  std::string selected;
  bool defined = false;
  for (int i = 0; i < unit.total_test_suite_count(); ++i) {
    const testing::TestSuite& suite = *unit.GetTestSuite(i);
    for (int j = 0; j < suite.total_test_count(); ++j) {
      const testing::TestInfo& test = *suite.GetTestInfo(j);
      if (FileName(test.file()) != file) continue;
      defined = true;
      const std::string name = std::string(test.test_suite_name()) + "." + test.name();
      if (FilterSelects(given, name)) selected += (selected.empty() ? "" : ":") + name;
    }
  }
  // Nothing selected by the filter given: a pattern no test has, so that none runs (gtest's own behaviour).
  GTEST_FLAG_SET(filter, selected.empty() ? "-*" : selected);
  return defined;
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  const std::string scenario = ScenarioArgument(argc, argv);
  if (!scenario.empty() && !SelectScenario(scenario)) {
    std::fprintf(stderr, "%s: no test is defined in %s\n", argv[0], scenario.c_str());
    return 1;
  }
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

// SPDX-License-Identifier: GPL-2.0-or-later
// What fuser prints about itself: psmisc's signal list, usage and version words.
#include "usage.h"

#include <gtest/gtest.h>

#include "base/version.h"
#include "cli/signals.h"

namespace fuser {
namespace {

// Given -l, we should list psmisc's 31 names, wrapped before column 80 as psmisc wraps them.
TEST(Usage, SignalList) {
  EXPECT_EQ(signal_list_text(),
            "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT\n"
            "CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS\n");
  EXPECT_EQ(cli::standard_signals().size(), 31u);
  EXPECT_EQ(cli::signal_number("KILL"), 9);
  EXPECT_EQ(cli::signal_number("SIGSYS"), 31);
  EXPECT_EQ(cli::signal_number("RTMIN"), std::nullopt);
}

// Given a message, we should print it on a line of its own before the usage, which names --detached.
TEST(Usage, MessageThenUsage) {
  const std::string text = usage_text("No process specification given");
  EXPECT_EQ(text.rfind("No process specification given\nUsage: fuser [-fIMuvw]", 0), 0u);
  EXPECT_NE(text.find("  --detached            "), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 57), "  udp/tcp names: [local_port][,[rmt_host][,[rmt_port]]]\n\n");
  EXPECT_EQ(usage_text("").rfind("Usage: ", 0), 0u);
}

// Given psmisc's synopsis as a translation indents it (zh_CN: six spaces under "用法："), we should put our
// --detached line before its "fuser -l" line, indented as that line is.
TEST(Usage, DetachedSynopsisFollowsTheTranslationsIndent) {
  const std::string zh = "用法：fuser [-a|-s]\n            NAME...\n      fuser -l\n      fuser -V\n说明。\n";
  EXPECT_EQ(with_detached_synopsis(zh),
            "用法：fuser [-a|-s]\n            NAME...\n      fuser --detached [-kiuvw] [-SIGNAL] [NAME...]\n"
            "      fuser -l\n      fuser -V\n说明。\n");
}

// Given a translation with no "fuser -l" line of its own (nl: "of:  fuser [-l|-V]"), we should put our line
// before that one, and given none at all, after the first line: never lose it.
TEST(Usage, DetachedSynopsisWithoutAnLLine) {
  EXPECT_EQ(with_detached_synopsis("Gebruik: fuser NAAM...\n     of:  fuser [-l|-V]\n"),
            "Gebruik: fuser NAAM...\n          fuser --detached [-kiuvw] [-SIGNAL] [NAME...]\n"
            "     of:  fuser [-l|-V]\n");
  EXPECT_EQ(with_detached_synopsis("X: fuser NAME...\nText.\n"),
            "X: fuser NAME...\n       fuser --detached [-kiuvw] [-SIGNAL] [NAME...]\nText.\n");
}

// Given -V, we should keep psmisc's first words (scripts read them) and name this package after them.
TEST(Usage, VersionKeepsPsmiscsWords) {
  const std::string text = version_text();
  EXPECT_EQ(text.rfind("fuser (PSmisc) 23.6 (detach-utils " + std::string(detach::kVersion) + ")\n", 0), 0u);
  EXPECT_NE(text.find("\nPSmisc comes with ABSOLUTELY NO WARRANTY.\n"), std::string::npos);
}

}  // namespace
}  // namespace fuser

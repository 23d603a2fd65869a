// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/swaps parsing (escaped paths, a line cut short) and resolving swap files to their filesystem.
#include "kernel/swaps.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace detach {
namespace {

const std::string kEscaped = std::string(FIXTURES_DIR) + "/swaps/escaped";

// Given the kernel's escapes for space, newline and backslash, we should get the path's real bytes back.
TEST(ParseSwaps, UnescapesPathsAndKeepsTypes) {
  std::vector<SwapArea> areas = read_swaps(kEscaped, false).value();
  ASSERT_EQ(areas.size(), 4u);
  EXPECT_EQ(areas[0].path, "/dev/sdb2");
  EXPECT_FALSE(areas[0].is_file);
  EXPECT_EQ(areas[1].path, "/srv/swap files/swap\none\\x");
  EXPECT_TRUE(areas[1].is_file);
  EXPECT_EQ(areas[2].path, "/swapfile");
  EXPECT_TRUE(areas[2].is_file);
  for (const SwapArea& area : areas) EXPECT_FALSE(area.resolved);
}

// Given a last line cut short inside its type, we should keep the path and guess from it.
TEST(ParseSwaps, TruncatedLineKeepsItsPath) {
  std::vector<SwapArea> areas = read_swaps(kEscaped, false).value();
  ASSERT_EQ(areas.size(), 4u);
  EXPECT_EQ(areas[3].path, "/dev/dm-1");
  EXPECT_FALSE(areas[3].is_file);
  std::vector<SwapArea> cut = parse_swaps("Filename Type Size Used Priority\n/srv/swap");
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_TRUE(cut[0].is_file);
}

TEST(ParseSwaps, HeaderOnlyOrNothing) {
  EXPECT_TRUE(parse_swaps("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n").empty());
  EXPECT_TRUE(parse_swaps("").empty());
  EXPECT_TRUE(read_swaps("/nonexistent-proc", true).value().empty());  // a kernel without swap
}

// Found by tests/fuzz/swaps: the kernel escapes only space, tab, newline and backslash in the path, so a
// '\r', '\v' or '\f' in it is part of the path, and splitting on isspace() cut the path there.
TEST(ParseSwaps, CarriageReturnVerticalTabAndFormFeedStayInThePath) {
  std::vector<SwapArea> areas = parse_swaps(
      "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
      "/srv/a\rb\vc\fd                          file\t\t65532\t\t0\t\t-2\n");
  ASSERT_EQ(areas.size(), 1u);
  EXPECT_EQ(areas[0].path, "/srv/a\rb\vc\fd");
  EXPECT_TRUE(areas[0].is_file);
}

TEST(UnescapeOctal, MalformedEscapesStayAsTheyAre) {
  EXPECT_EQ(unescape_octal("a\\040b"), "a b");
  EXPECT_EQ(unescape_octal("a\\04"), "a\\04");
  EXPECT_EQ(unescape_octal("a\\089"), "a\\089");
  EXPECT_EQ(unescape_octal("\\011\\134"), "\t\\");
}

// Given a live read, we should resolve an absolute swap file to its st_dev (through the bounded stat) and
// leave a relative one (its fs lazily detached), or a file too small to be the swap area, unresolved.
TEST(ReadSwaps, LiveResolvesAbsoluteFilesOnly) {
  char dir[] = "/tmp/guard-swaps-test-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string root = dir;
  const std::string file = root + "/swap file";
  std::ofstream(file) << std::string(8192, 'x');
  std::ofstream(root + "/swaps") << "Filename\tType\tSize\tUsed\tPriority\n"
                                 << root << "/swap\\040file file 4 0 -2\n"
                                 << "swapfile file 4 0 -3\n"
                                 << root << "/swap\\040file file 1048572 0 -4\n";
  std::vector<SwapArea> areas = read_swaps(root, true).value();
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  ASSERT_EQ(areas.size(), 3u);
  EXPECT_TRUE(areas[0].resolved);
  EXPECT_EQ(areas[0].dev, DeviceNumber::from_dev(st.st_dev));
  EXPECT_FALSE(areas[1].resolved);
  EXPECT_FALSE(areas[2].resolved);  // too small for its swap area: a host file that only shares the path
  for (const SwapArea& area : areas) EXPECT_FALSE(area.unresponsive) << area.path;

  // Told not to stat the first file again (its fs did not answer lately), we should take it as unresponsive
  // and unresolved, and still stat the others (the relative one is never asked).
  int asked = 0;
  std::vector<SwapArea> skipped =
      read_swaps(root, true, std::chrono::milliseconds(2000), [&asked](const SwapArea&) {
        return asked++ > 0;
      }).value();
  EXPECT_EQ(asked, 2);
  ASSERT_EQ(skipped.size(), 3u);
  EXPECT_TRUE(skipped[0].unresponsive);
  EXPECT_FALSE(skipped[0].resolved);
  EXPECT_FALSE(skipped[1].unresponsive);  // relative: never asked
  EXPECT_FALSE(skipped[2].unresponsive);
  std::system(("rm -rf '" + root + "'").c_str());
}

// Given a swaps file that is there and cannot be read (here: a directory), we should get an error, not "no
// swap areas": a swap area the device holds would be missed without a word.
TEST(ReadSwaps, AnUnreadableSwapsFileIsAnErrorNotNoSwap) {
  char dir[] = "/tmp/guard-swaps-test-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string root = dir;
  ASSERT_EQ(::mkdir((root + "/swaps").c_str(), 0755), 0);
  auto areas = read_swaps(root, false);
  ASSERT_FALSE(areas.has_value());
  EXPECT_EQ(areas.error().err, EISDIR);
  std::system(("rm -rf '" + root + "'").c_str());
}

}  // namespace
}  // namespace detach

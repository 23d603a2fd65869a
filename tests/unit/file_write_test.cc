// SPDX-License-Identifier: GPL-2.0-or-later
// Replacing a file whole (base/file_write.h): what detach-metrics' output and the journal's rewrite share.
#include "base/file_write.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/unique_fd.h"
#include "fixture_tree.h"

namespace detach {
namespace {

class ReplaceFileTest : public ::testing::Test {
 protected:
  static std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // The names in the test directory, "." and ".." left out.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(root_))
      out.push_back(entry.path().filename().string());
    return out;
  }
  testing::FixtureTree tree_;
  const std::string& root_ = tree_.root();
};

TEST_F(ReplaceFileTest, ReplacesTheContentWithTheModeAndLeavesNoTempFile) {
  const std::string path = root_ + "/metrics.prom";
  tree_.write("metrics.prom", "old\n");
  ASSERT_TRUE(replace_file(path, "new\n", 0640));
  EXPECT_EQ(read(path), "new\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640U);
  EXPECT_EQ(names(), std::vector<std::string>{"metrics.prom"});
}

TEST_F(ReplaceFileTest, ReplacesALinkInPlaceOfTheFileNotWhatItPointsTo) {
  const std::string victim = root_ + "/victim";
  tree_.write("victim", "keep\n");
  ASSERT_EQ(::symlink("victim", (root_ + "/journal").c_str()), 0);
  UniqueFd dir(::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(dir);
  ASSERT_TRUE(replace_file_at(dir.get(), "journal", root_ + "/journal", "new\n", 0644));
  EXPECT_EQ(read(victim), "keep\n");
  struct stat st {};
  ASSERT_EQ(::lstat((root_ + "/journal").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(read(root_ + "/journal"), "new\n");
}

TEST_F(ReplaceFileTest, AFailedRenameLeavesTheOldAndNoTempFile) {
  const std::string path = root_ + "/adir";
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  Status st = replace_file(path, "new\n", 0644);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().op, "rename");
  struct stat after {};
  ASSERT_EQ(::lstat(path.c_str(), &after), 0);
  EXPECT_TRUE(S_ISDIR(after.st_mode));
  EXPECT_EQ(names(), std::vector<std::string>{"adir"});
}

TEST_F(ReplaceFileTest, AMissingDirectoryIsAnErrorNamingTheFile) {
  const std::string path = root_ + "/no-such-dir/x.prom";
  Status st = replace_file(path, "new\n", 0644);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().err, ENOENT);
  EXPECT_EQ(st.error().path, path);
}

}  // namespace
}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// A loop device with no backing file, or over an empty file, has nothing to format: mkfs-guard says what it
// is (mkfs would fail with "Device size reported to be zero") and the wrapper runs nothing.
#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>

#include "harness.h"

namespace itest {
namespace {

// An unbound loop device of our own (LOOP_CTL_ADD at a high number nobody asks LOOP_CTL_GET_FREE for
// first), removed again at the end.
class UnboundLoop {
 public:
  UnboundLoop() {
    control_.reset(open("/dev/loop-control", O_RDWR | O_CLOEXEC));
    for (int n = 240; n < 256 && number_ < 0; ++n)
      if (ioctl(control_.get(), LOOP_CTL_ADD, n) >= 0) number_ = n;
  }
  ~UnboundLoop() {
    if (number_ >= 0) ioctl(control_.get(), LOOP_CTL_REMOVE, number_);
  }
  bool ok() const { return number_ >= 0; }
  std::string path() const { return "/dev/loop" + std::to_string(number_); }

 private:
  UniqueFd control_;
  int number_ = -1;
};

class GuardUnusableDevice : public ::testing::Test {
 protected:
  void SetUp() override { ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD"); }
};

TEST_F(GuardUnusableDevice, UnboundLoopDevice) {
  UnboundLoop loop;
  ASSERT_TRUE(loop.ok()) << "no free loop number in 240..255";
  ASSERT_TRUE(WaitUntil([&] { return access(loop.path().c_str(), F_OK) == 0; }, 10s));
  const RunResult guard = RunCommand({MkfsGuard(), loop.path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(
      guard.out,
      loop.path() + " cannot be formatted: it is a loop device with no backing file (losetup binds one)\n")
      << guard.Describe();
  const RunResult wrapped = RunCommand({MkfsGuard(), "--", "mkfs.ext4", "-q", loop.path()});
  EXPECT_EQ(wrapped.exit_code, 124) << wrapped.Describe();
}

TEST_F(GuardUnusableDevice, LoopDeviceOverAnEmptyFile) {
  TempDir dir;
  const std::string empty = dir.path() + "/empty.img";
  WriteFile(empty, "");
  LoopDevice loop(empty);
  const RunResult guard = RunCommand({MkfsGuard(), "-J", loop.path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::optional<nlohmann::json> doc = ParseJson(guard.out);
  ASSERT_TRUE(doc.has_value()) << guard.Describe();
  EXPECT_EQ(Text(*doc, "status"), "unusable");
  // The first reason; then a note: this test holds the loop device open (read-only).
  ASSERT_FALSE(Reasons(*doc).empty()) << doc->dump(2);
  EXPECT_EQ(Text(Reasons(*doc)[0], "kind"), "zero-size");
  EXPECT_EQ(Text(Reasons(*doc)[0], "loop-backing-file"), empty);
}

}  // namespace
}  // namespace itest

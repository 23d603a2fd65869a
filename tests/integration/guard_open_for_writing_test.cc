// SPDX-License-Identifier: GPL-2.0-or-later
// A process with the device node open for writing (a VM's raw disk, a dd) claims nothing, so mkfs would go
// ahead: for the guard it is busy, by whom; --force goes ahead. A reader is only a note.
#include <fcntl.h>

#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

class GuardOpenForWriting : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    loop_.emplace();
  }
  std::optional<BlankLoop> loop_;
};

TEST_F(GuardOpenForWriting, WriterMakesItBusyAndForceGoesAhead) {
  ChildProcess writer = SpawnSleepWithFd(loop_->path(), O_RDWR, 5);
  const std::string by = PinEntry(writer.pid(), "sleep", "fd 5 (read/write)");
  const RunResult guard = RunCommand({MkfsGuard(), loop_->path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), loop_->path() + " is busy: it is open for writing in: " + by)
      << guard.Describe();
  const RunResult wrapped = RunCommand({MkfsGuard(), "--", "mkfs.ext4", "-q", loop_->path()});
  EXPECT_EQ(wrapped.exit_code, 124) << wrapped.Describe();
  const RunResult forced = RunCommand({MkfsGuard(), "--force", loop_->path()});
  EXPECT_EQ(forced.exit_code, 0) << forced.Describe();
  EXPECT_THAT(forced.out, HasSubstr("it is open for writing in: " + by)) << forced.Describe();
  const RunResult forced_mkfs = RunCommand({MkfsGuard(), "-f", "--", "mkfs.ext4", "-q", loop_->path()});
  EXPECT_EQ(forced_mkfs.exit_code, 0) << forced_mkfs.Describe();
}

TEST_F(GuardOpenForWriting, ReaderIsANote) {
  ChildProcess reader = SpawnSleepWithFd(loop_->path(), O_RDONLY, 4);
  const RunResult guard = RunCommand({MkfsGuard(), loop_->path()});
  EXPECT_EQ(guard.exit_code, 0) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out), loop_->path() + " is free: mkfs can use it") << guard.Describe();
  // This test's own read-only fd on the loop device is a reader too.
  EXPECT_THAT(guard.out, HasSubstr("it is open for reading in 2 processes: ")) << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr(PinEntry(reader.pid(), "sleep", "fd 4 (read)"))) << guard.Describe();
}

}  // namespace
}  // namespace itest

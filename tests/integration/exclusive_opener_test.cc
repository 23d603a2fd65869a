// SPDX-License-Identifier: GPL-2.0-or-later
// A process holds a blank device open with O_EXCL (the claim mkfs makes), another holds it open without: mkfs
// refuses it as "apparently in use". /proc does not say which open is the exclusive one: mkfs-guard names
// both as what may hold the claim, in one reason, never "nothing explains it" followed by a list of readers.
#include <fcntl.h>

#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ExclusiveOpener : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    blank_.emplace();
    exclusive_.emplace(SpawnSleepWithFd(blank_->path(), O_RDONLY | O_EXCL, 7));
    reader_.emplace(SpawnSleepWithFd(blank_->path(), O_RDONLY, 8));
  }

  std::optional<BlankLoop> blank_;
  std::optional<ChildProcess> exclusive_;
  std::optional<ChildProcess> reader_;
};

// Given the two openers, mkfs-guard says the device is claimed and that one of the two may hold the claim.
TEST_F(ExclusiveOpener, MkfsGuardNamesBothOpenersAsMayHoldingTheClaim) {
  const RunResult guard = RunCommand({MkfsGuard(), blank_->path()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  // Three openers: the two sleeps, and this test, which holds its loop device open for reading.
  EXPECT_THAT(
      FirstLine(guard.out),
      ::testing::StartsWith(blank_->path() +
                            " is busy: it is claimed, and of what the scan sees only an exclusive open (as "
                            "mkfs makes one) can explain that: 3 processes have it open, one of which may "
                            "hold the claim: "))
      << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out), HasSubstr(PinEntry(exclusive_->pid(), "sleep", "fd 7 (read)")));
  EXPECT_THAT(FirstLine(guard.out), HasSubstr(PinEntry(reader_->pid(), "sleep", "fd 8 (read)")));
  EXPECT_THAT(guard.out, Not(HasSubstr("no mount, swap area"))) << guard.Describe();
  EXPECT_THAT(guard.out, Not(HasSubstr("open for reading"))) << guard.Describe();
  const RunResult json = RunCommand({MkfsGuard(), "-J", blank_->path()});
  const std::optional<nlohmann::json> doc = ParseJson(json.out);
  ASSERT_TRUE(doc.has_value()) << json.Describe();
  ASSERT_EQ(Reasons(*doc).size(), 1u) << doc->dump(2);
  EXPECT_EQ(Text(Reasons(*doc)[0], "kind"), "exclusive-opener");
  EXPECT_EQ(Reasons(*doc)[0]["certain"], false);
  EXPECT_EQ(Pinners(Reasons(*doc)[0]).size(), 3u);
}

// Given the exclusive opener gone, the reader alone claims nothing: the device is free, the reader a note.
TEST_F(ExclusiveOpener, AReaderAloneClaimsNothing) {
  exclusive_.reset();
  ASSERT_TRUE(WaitUntil([&] { return DeviceIsFree(blank_->path()); }, 10s));
  const RunResult guard = RunCommand({MkfsGuard(), blank_->path()});
  EXPECT_EQ(guard.exit_code, 0) << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr("it is open for reading in")) << guard.Describe();
}

}  // namespace
}  // namespace itest

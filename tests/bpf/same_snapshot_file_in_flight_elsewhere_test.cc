// SPDX-License-Identifier: GPL-2.0-or-later
// Files in flight on one filesystem (B) while another (A) is held by a shell-like cwd, both lazily detached:
// the receiving socket's fdinfo counts the files (scm_fds: 3), so /proc can only say its holder MAY hold any
// filesystem nothing else explains; the BPF source reads the queued messages, so it names the holder as a
// certain pinner of B alone, one pin per file with how often it waits, and never of A.
#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

class FileInFlightElsewhere : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT");
    EnterPrivateMountNamespace();
    a_.emplace("ext4");
    b_.emplace("ext4", 64, true, "y");
    dev_a_ = bpftest::DeviceOf(a_->mountpoint());
    dev_b_ = bpftest::DeviceOf(b_->mountpoint());
    WriteFile(b_->File("x"), "x\n");
    WriteFile(b_->File("y"), "y\n");
    ino_x_ = bpftest::InodeOf(b_->File("x"));
    ino_y_ = bpftest::InodeOf(b_->File("y"));
    cwd_.emplace(SpawnSleepWithCwd(a_->mountpoint()));
    sender_.emplace(SpawnFilesInFlight({b_->File("x"), b_->File("y"), b_->File("x")}));
    a_->mount().Detach();
    b_->mount().Detach();
  }

  // "socket fd N (K file(s) in flight)": the sender's pin, as each tool prints it.
  std::string How(int count) const {
    return "socket fd " + std::to_string(sender_->ready_value()) + " (" + std::to_string(count) +
           (count == 1 ? " file" : " files") + " in flight)";
  }

  void TearDown() override { unsetenv("DETACH_SCAN_SOURCE"); }

  std::optional<LoopFs> a_;
  std::optional<LoopFs> b_;
  detach::DeviceNumber dev_a_;
  detach::DeviceNumber dev_b_;
  std::uint64_t ino_x_ = 0;
  std::uint64_t ino_y_ = 0;
  std::optional<ChildProcess> cwd_;
  std::optional<ChildProcess> sender_;
};

// Given three files of B in flight (x twice, y once), we should get from BPF two pins of the socket, both on
// B (x counted twice, y once) and none on A; from /proc one pin of three files, on no filesystem.
TEST_F(FileInFlightElsewhere, BpfPlacesEachFileOnItsOwnFilesystemOnly) {
  const bpftest::DumpFilter filter{{sender_->pid(), cwd_->pid()}, {dev_a_, dev_b_}};
  const bpftest::BothSources both = bpftest::TakeFromBothSources(detach::ScanOptions{}, filter);
  ASSERT_TRUE(both.bpf_used) << both.bpf_why;
  const std::string on_b =
      " mount=" + std::to_string(detach::kernel_held_key(dev_b_)) + " dev=" + dev_b_.str();
  const std::vector<std::string> bpf = bpftest::PinLines(both.bpf, "files-in-flight");
  ASSERT_EQ(bpf.size(), 2u) << both.bpf;
  EXPECT_NE(bpf[0].find(on_b + " ino=" + std::to_string(ino_x_) + " "), std::string::npos) << bpf[0];
  EXPECT_NE(bpf[0].find(" count=2 "), std::string::npos) << bpf[0];
  EXPECT_NE(bpf[1].find(on_b + " ino=" + std::to_string(ino_y_) + " "), std::string::npos) << bpf[1];
  EXPECT_NE(bpf[1].find(" count=1 "), std::string::npos) << bpf[1];
  EXPECT_EQ(bpftest::PinsOn(both.bpf, "files-in-flight", dev_a_), 0) << both.bpf;

  const std::vector<std::string> proc = bpftest::PinLines(both.proc, "files-in-flight");
  ASSERT_EQ(proc.size(), 1u) << both.proc;
  EXPECT_NE(proc[0].find(" mount=0 dev=0:0 ino=0 "), std::string::npos) << proc[0];
  EXPECT_NE(proc[0].find(" count=3 "), std::string::npos) << proc[0];
  // Everything else is the same from both sources.
  EXPECT_EQ(bpftest::PinsOn(both.bpf, "cwd", dev_a_), 1) << both.bpf;
  EXPECT_EQ(bpftest::PinsOn(both.proc, "cwd", dev_a_), 1) << both.proc;
}

// The same through findmnt --detached -J: under BPF, B's row names the sender as certain with its two pins
// and A's row does not name it; under /proc, B's row names it as "may" with one pin of three files.
TEST_F(FileInFlightElsewhere, FindmntNamesTheSenderForCertainOnBOnly) {
  ASSERT_EQ(setenv("DETACH_SCAN_SOURCE", "bpf", 1), 0);
  DetachedListing listing = ListDetached();
  ASSERT_EQ(listing.run.exit_code, 0) << listing.run.Describe();
  std::vector<nlohmann::json> rows_b = listing.RowsFor(b_->device());
  ASSERT_EQ(rows_b.size(), 1u) << listing.run.Describe();
  nlohmann::json pinner = PinnerOf(rows_b[0], sender_->pid());
  ASSERT_FALSE(pinner.is_null()) << rows_b[0].dump();
  EXPECT_EQ(pinner["certain"], true) << pinner.dump();
  EXPECT_EQ(Text(pinner, "how"), How(2) + ", " + How(1)) << pinner.dump();
  const std::vector<nlohmann::json> rows_a = listing.RowsFor(a_->device());
  ASSERT_EQ(rows_a.size(), 1u) << listing.run.Describe();
  EXPECT_TRUE(PinnerOf(rows_a[0], sender_->pid()).is_null()) << rows_a[0].dump();
  EXPECT_FALSE(PinnerOf(rows_a[0], cwd_->pid()).is_null()) << rows_a[0].dump();

  ASSERT_EQ(setenv("DETACH_SCAN_SOURCE", "proc", 1), 0);
  listing = ListDetached();
  ASSERT_EQ(listing.run.exit_code, 0) << listing.run.Describe();
  rows_b = listing.RowsFor(b_->device());
  ASSERT_EQ(rows_b.size(), 1u) << listing.run.Describe();
  pinner = PinnerOf(rows_b[0], sender_->pid());
  ASSERT_FALSE(pinner.is_null()) << rows_b[0].dump();
  EXPECT_EQ(pinner["certain"], false) << pinner.dump();
  EXPECT_EQ(pinner["pins"][0]["count"], 3) << pinner.dump();
}

}  // namespace
}  // namespace itest

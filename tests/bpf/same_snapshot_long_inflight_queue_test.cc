// SPDX-License-Identifier: GPL-2.0-or-later
// A unix socket whose queue holds more than the unix_inflight program reads: 1,030 messages, each carrying
// the same file of an ext4 (sent with SCM_RIGHTS, never received). The program reads the first 512 files
// (DETACH_BPF_INFLIGHT_FILES: what one socket's records may take of the iterator's buffer) and says that it
// stopped; the scan places those 512 on the ext4 for certain and keeps the 518 it did not read as "may" (the
// socket's fdinfo counts all 1,030), and notes the socket.
#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "explain/scan_notes.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

constexpr int kMessages = 1030;
constexpr int kRead = 512;  // DETACH_BPF_INFLIGHT_FILES

class LongInFlightQueue : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT();
    EnterPrivateMountNamespace();
    fs_.emplace("ext4");
    dev_ = bpftest::DeviceOf(fs_->mountpoint());
    WriteFile(fs_->File("sent"), "in flight\n");
    sender_.emplace(SpawnFilesInFlight(std::vector<std::string>(kMessages, fs_->File("sent"))));
  }

  std::optional<LoopFs> fs_;
  detach::DeviceNumber dev_;
  std::optional<ChildProcess> sender_;
};

// Given 1,030 queued messages, we should get from BPF the file placed on the ext4 counted 512 times, and the
// 518 not read as "may", with a note that names the socket; from /proc, one "may" pin of 1,030.
TEST_F(LongInFlightQueue, TheMessagesNotReadStayMay) {
  const bpftest::DumpFilter filter{{sender_->pid()}, {dev_}};
  detach::ScanOptions options;
  options.source = detach::ScanSource::Bpf;
  auto bpf = detach::take_snapshot(options);
  ASSERT_TRUE(bpf.has_value()) << bpf.error().message();
  const std::string why = detach::pin_source_why(bpf->pin_source, detach::Words::program());
  ASSERT_TRUE(bpf->pin_source.bpf) << why;
  EXPECT_EQ(why, "loaded by the in-kernel loader");
  const std::string dump = bpftest::CanonicalDump(*bpf, filter);
  const std::vector<std::string> pins = bpftest::PinLines(dump, "files-in-flight");
  ASSERT_EQ(pins.size(), 2u) << dump;
  EXPECT_NE(pins[0].find(" dev=" + dev_.str() + " "), std::string::npos) << pins[0];
  EXPECT_NE(pins[0].find(" count=" + std::to_string(kRead) + " "), std::string::npos) << pins[0];
  EXPECT_NE(pins[1].find(" mount=0 dev=0:0 ino=0 "), std::string::npos) << pins[1];
  EXPECT_NE(pins[1].find(" count=" + std::to_string(kMessages - kRead) + " "), std::string::npos) << pins[1];
  std::vector<std::string> notes;
  for (const detach::ScanNote& note : bpf->gaps.notes)
    notes.push_back(detach::scan_note_text(*bpf, note, detach::Words::program()));
  EXPECT_THAT(notes, ::testing::Contains(::testing::HasSubstr(
                         "than its first 1024 messages or 512 files in flight, which were read")));

  options.source = detach::ScanSource::Proc;
  auto proc = detach::take_snapshot(options);
  ASSERT_TRUE(proc.has_value()) << proc.error().message();
  const std::vector<std::string> counted =
      bpftest::PinLines(bpftest::CanonicalDump(*proc, filter), "files-in-flight");
  ASSERT_EQ(counted.size(), 1u);
  EXPECT_NE(counted[0].find(" mount=0 dev=0:0 ino=0 "), std::string::npos) << counted[0];
  EXPECT_NE(counted[0].find(" count=" + std::to_string(kMessages) + " "), std::string::npos) << counted[0];
}

}  // namespace
}  // namespace itest

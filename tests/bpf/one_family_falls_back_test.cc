// SPDX-License-Identifier: GPL-2.0-or-later
// One family of BPF programs refused while the others load: an ext4 lazily detached, held by an io_uring
// ring's registered file and by a file in flight over a unix socket, nothing else; an overlay on an ext4,
// lazily detached with nobody to record its options, a process standing in it; and an ext4 lazily detached,
// held only by the interpreter of a binfmt_misc entry (flag F) of an instance no mount table shows.
// snapshot-dump and findmnt run under without_bpf --refuse-load N (the Nth BPF_PROG_LOAD fails with EACCES,
// as when the verifier refuses a program) with the light loader only (one BPF_PROG_LOAD per family: task_pins
// first, then those the scan needs, in its order: ring_files, unix_inflight, overlay_layers, binfmt_entries).
// The task pins still come from BPF; what the refused family would have placed comes from /proc, as "may" or
// not at all, exactly as the /proc source gives it, and -v says which family fell back and why.
#include <cstdlib>
#include <sstream>

#include "../integration/harness.h"
#include "../integration/pinners.h"
#include "../integration/probe_scenario.h"
#include "snapshot_dump.h"

namespace itest {
namespace {

constexpr const char* kRingFallback =
    "io_uring registered files placed from the rings' fdinfo: their BPF program did not load (bpf "
    "ring_files: in-kernel loader: Permission denied)";
constexpr const char* kOverlayFallback =
    "overlay layers placed from the overlays' options: their BPF program did not load (bpf overlay_layers: "
    "in-kernel loader: Permission denied)";
constexpr const char* kBinfmtFallback =
    "binfmt_misc interpreters placed by their paths: their BPF program did not load (bpf binfmt_entries: "
    "in-kernel loader: Permission denied)";
constexpr const char* kInFlightFallback =
    "files in flight over unix sockets only counted from the sockets' fdinfo: their BPF program did not load "
    "(bpf unix_inflight: in-kernel loader: Permission denied)";

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) throw std::runtime_error(std::string(name) + " is not set");
  return value;
}

// TEXT without its first line, and that line.
std::pair<std::string, std::string> SplitFirstLine(const std::string& text) {
  const std::size_t end = text.find('\n');
  if (end == std::string::npos) return {text, ""};
  return {text.substr(0, end), text.substr(end + 1)};
}

// DUMP's lines with each pin of KIND replaced, in order, by the pins of KIND of OTHER: one family's pins from
// the other source. Throws when the two have not as many.
std::string WithPinsOf(const std::string& dump, const std::string& other, const std::string& kind) {
  const std::string prefix = "pin " + kind + " ";
  std::vector<std::string> others;
  std::istringstream other_lines(other);
  for (std::string line; std::getline(other_lines, line);)
    if (line.rfind(prefix, 0) == 0) others.push_back(line);
  std::istringstream lines(dump);
  std::string out;
  std::size_t used = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) {
      if (used == others.size())
        throw std::runtime_error("more " + kind + " pins in the dump than in the other");
      line = others[used++];
    }
    out += line + "\n";
  }
  if (used != others.size() || used == 0) throw std::runtime_error("not as many " + kind + " pins");
  return out;
}

// snapshot-dump of the pins of PIDS and on DEV, through source SOURCE, under without_bpf --refuse-load
// REFUSED
// ("" none): its first line (the source's) and the dump.
std::pair<std::string, std::string> DumpUnder(const std::string& refused, const char* source,
                                              const std::vector<pid_t>& pids,
                                              const detach::DeviceNumber& dev) {
  EXPECT_EQ(setenv("DETACH_SCAN_SOURCE", source, 1), 0);
  std::vector<std::string> argv;
  if (!refused.empty()) argv = {Env("WITHOUT_BPF"), "--refuse-load", refused};
  argv.push_back(Env("SNAPSHOT_DUMP"));
  for (pid_t pid : pids) argv.insert(argv.end(), {"--pid", std::to_string(pid)});
  argv.insert(argv.end(), {"--device", dev.str()});
  const RunResult r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return SplitFirstLine(r.out);
}

class OneFamilyFallsBack : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "SNAPSHOT_DUMP", "WITHOUT_BPF");
    EnterPrivateMountNamespace();
    ASSERT_EQ(setenv("DETACH_BPF_LOADER", "light", 1), 0);
    fs_.emplace("ext4");
    WriteFile(fs_->File("ringfile"), "registered\n");
    WriteFile(fs_->File("sent"), "in flight\n");
    ring_.emplace(SpawnRingHolding(fs_->File("ringfile")));
    sender_.emplace(SpawnFileInFlight(fs_->File("sent")));
    dev_ = bpftest::DeviceOf(fs_->mountpoint());
    sent_ino_ = bpftest::InodeOf(fs_->File("sent"));
    fs_->mount().Detach();
  }
  void TearDown() override {
    unsetenv("DETACH_BPF_LOADER");
    unsetenv("DETACH_SCAN_SOURCE");
  }

  // snapshot-dump of the ring's and the sender's pins, under without_bpf --refuse-load REFUSED ("" none).
  std::pair<std::string, std::string> Dump(const std::string& refused, const char* source = "auto") {
    return DumpUnder(refused, source, {ring_->pid(), sender_->pid()}, dev_);
  }

  std::optional<LoopFs> fs_;
  detach::DeviceNumber dev_;
  std::uint64_t sent_ino_ = 0;
  std::optional<ChildProcess> ring_;
  std::optional<ChildProcess> sender_;
};

// Given both families loading, and then each refused in turn (and both), we should get task pins from BPF
// every time, the refused family's pins exactly as /proc gives them (the others' as BPF gives them), and the
// source's line naming each family that fell back and why.
TEST_F(OneFamilyFallsBack, TheRefusedFamilysPinsComeFromProcAndTheSourceSaysWhy) {
  const auto [bpf_line, bpf] = Dump("");
  const auto [proc_line, proc] = Dump("", "proc");
  ASSERT_EQ(bpf_line, "source: bpf: loaded by the in-kernel loader");
  ASSERT_NE(bpf, proc) << "the two sources should differ in the ring's and the file in flight's pins";

  const auto [ring_line, ring_refused] = Dump("2");
  EXPECT_EQ(ring_line, std::string("source: bpf: loaded by the in-kernel loader; ") + kRingFallback);
  // Nothing leads the scan to the detached mount itself then (the ring's file did): it is known by its
  // device, as /proc knows it, and the file in flight is placed exactly on that.
  EXPECT_EQ(ring_refused, WithPinsOf(proc, ring_refused, "files-in-flight"));
  EXPECT_NE(ring_refused.find(" mount=" + std::to_string(detach::kernel_held_key(dev_)) +
                              " dev=" + dev_.str() + " ino=" + std::to_string(sent_ino_) + " "),
            std::string::npos)
      << ring_refused;

  const auto [flight_line, flight_refused] = Dump("3");
  EXPECT_EQ(flight_line, std::string("source: bpf: loaded by the in-kernel loader; ") + kInFlightFallback);
  EXPECT_EQ(flight_refused, WithPinsOf(bpf, proc, "files-in-flight"));

  const auto [both_line, both_refused] = Dump("2,3");
  EXPECT_EQ(both_line, std::string("source: bpf: loaded by the in-kernel loader; ") + kRingFallback + "; " +
                           kInFlightFallback);
  EXPECT_EQ(both_refused, proc);
}

// Given unix_inflight refused, findmnt --verbose should say so on its source line; and the sender, certain
// when the family loads, is no certain pinner then (the ring explains the filesystem, so findmnt lists no
// "may" candidates beside it).
TEST_F(OneFamilyFallsBack, FindmntVerboseSaysWhichFamilyFellBack) {
  ASSERT_EQ(setenv("DETACH_SCAN_SOURCE", "auto", 1), 0);
  const std::string sender = std::to_string(sender_->pid()) + " pin-flight";
  const std::string held = "socket fd " + std::to_string(sender_->ready_value()) + " (1 file in flight)";
  const RunResult loaded = RunCommand({Env("FINDMNT"), "--detached", "-l", "-o", "PID,COMMAND,HOW"});
  ASSERT_EQ(loaded.exit_code, 0) << loaded.Describe();
  EXPECT_NE(loaded.out.find(held), std::string::npos) << loaded.Describe();
  EXPECT_EQ(loaded.out.find("may: " + held), std::string::npos) << loaded.Describe();

  const RunResult r = RunCommand({Env("WITHOUT_BPF"), "--refuse-load", "3", Env("FINDMNT"), "--detached",
                                  "--verbose", "-l", "-o", "PID,COMMAND,HOW"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(
      r.err.find(std::string("findmnt: task pins read by BPF iterators (loaded by the in-kernel loader; ") +
                 kInFlightFallback + ")\n"),
      std::string::npos)
      << r.Describe();
  EXPECT_EQ(r.out.find(held), std::string::npos) << r.Describe();
}

// The overlay, detached unrecorded, and the process standing in it.
class OverlayFamilyFallsBack : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("SNAPSHOT_DUMP", "WITHOUT_BPF");
    EnterPrivateMountNamespace();
    ASSERT_EQ(setenv("DETACH_BPF_LOADER", "light", 1), 0);
    fs_.emplace("ext4");
    for (const char* dir : {"lower", "upper", "work"}) RunOrThrow({"mkdir", fs_->File(dir)});
    const std::string merged = fs_->dir().MakeDir("o");
    overlay_.emplace("overlay", merged, "overlay", 0,
                     "lowerdir=" + fs_->File("lower") + ",upperdir=" + fs_->File("upper") +
                         ",workdir=" + fs_->File("work"));
    shell_.emplace(SpawnSleepWithCwd(merged));
    dev_ = bpftest::DeviceOf(fs_->mountpoint());
    overlay_->Detach();
  }
  void TearDown() override {
    unsetenv("DETACH_BPF_LOADER");
    unsetenv("DETACH_SCAN_SOURCE");
  }

  std::optional<LoopFs> fs_;
  detach::DeviceNumber dev_;
  std::optional<Mount> overlay_;
  std::optional<ChildProcess> shell_;  // ended first: then the overlay
};

// Given the overlay's family refused, we should get the task pins from BPF, no layer of the overlay (as /proc
// gives it: its options were never recorded), and the source's line saying why; with the family loading, its
// three layers.
TEST_F(OverlayFamilyFallsBack, TheOverlaysLayersAreWhatProcSaysAndTheSourceSaysWhy) {
  const auto [bpf_line, bpf] = DumpUnder("", "auto", {shell_->pid()}, dev_);
  const auto [proc_line, proc] = DumpUnder("", "proc", {shell_->pid()}, dev_);
  ASSERT_EQ(bpf_line, "source: bpf: loaded by the in-kernel loader");
  EXPECT_EQ(bpftest::PinLines(bpf, "overlay-layer").size(), 3u) << bpf;
  EXPECT_EQ(bpftest::WithoutPins(bpf, "overlay-layer"), proc);

  const auto [refused_line, refused] = DumpUnder("2", "auto", {shell_->pid()}, dev_);
  EXPECT_EQ(refused_line, std::string("source: bpf: loaded by the in-kernel loader; ") + kOverlayFallback);
  EXPECT_EQ(refused, proc);
}

// The ext4 held by the entry's interpreter alone, and the process that stands in the entry's instance.
class BinfmtFamilyFallsBack : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("SNAPSHOT_DUMP", "WITHOUT_BPF");
    EnterPrivateMountNamespace();
    ASSERT_EQ(setenv("DETACH_BPF_LOADER", "light", 1), 0);
    instance_dir_.emplace();
    holder_.emplace(SpawnInDetachedBinfmtInstance(instance_dir_->path()));
    fs_.emplace("ext4");
    CopyExecutable("/bin/true", fs_->File("interp"));
    entry_.emplace(UniqueName("detach-bpftest-fallback-"), fs_->File("interp"), true,
                   "/proc/" + std::to_string(holder_->pid()) + "/cwd");
    dev_ = bpftest::DeviceOf(fs_->mountpoint());
    fs_->mount().Detach();
  }
  void TearDown() override {
    unsetenv("DETACH_BPF_LOADER");
    unsetenv("DETACH_SCAN_SOURCE");
  }

  std::optional<TempDir> instance_dir_;
  std::optional<ChildProcess> holder_;
  std::optional<LoopFs> fs_;
  detach::DeviceNumber dev_;
  std::optional<BinfmtEntry> entry_;
};

// Given the binfmt_entries family refused (the second load: no ring, socket or overlay leads to the others),
// we should get the task pins from BPF, no pin of the entry (as /proc gives it: it reads no instance no mount
// shows), and the source's line saying why; with the family loading, the entry's pin.
TEST_F(BinfmtFamilyFallsBack, TheEntryIsWhatProcSaysAndTheSourceSaysWhy) {
  const auto [bpf_line, bpf] = DumpUnder("", "auto", {holder_->pid()}, dev_);
  const auto [proc_line, proc] = DumpUnder("", "proc", {holder_->pid()}, dev_);
  ASSERT_EQ(bpf_line, "source: bpf: loaded by the in-kernel loader");
  EXPECT_EQ(bpftest::PinLines(bpf, "binfmt-interpreter").size(), 1u) << bpf;
  EXPECT_EQ(bpftest::WithoutPins(bpf, "binfmt-interpreter"), proc);

  const auto [refused_line, refused] = DumpUnder("2", "auto", {holder_->pid()}, dev_);
  EXPECT_EQ(refused_line, std::string("source: bpf: loaded by the in-kernel loader; ") + kBinfmtFallback);
  EXPECT_EQ(refused, proc);
}

}  // namespace
}  // namespace itest

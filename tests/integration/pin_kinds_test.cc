// SPDX-License-Identifier: GPL-2.0-or-later
// Each way a process can pin a lazily detached mount, one at a time: cwd, root (chroot), exe, fd for read,
// write and read/write, a mapping whose fd is closed, and a thread with its own cwd (unshare(CLONE_FS)).
#include <fcntl.h>

#include "harness.h"
#include "pinners.h"

namespace itest {
namespace {

struct PinKindCase {
  std::string name;
  // Prepares the fs (files) and starts the one pinner.
  std::function<ChildProcess(const LoopFs&)> spawn;
  // The PINNERS entry the tools should print for it.
  std::function<std::string(const ChildProcess&)> entry;
  // /proc path whose statx(STATX_MNT_ID_UNIQUE) is the pinned mount; empty when there is none to check.
  std::function<std::string(const ChildProcess&)> proc_path;
  // false when the pinner may pin in more ways than this one (an exe is also mapped).
  bool only_entry = true;
};

void PrintTo(const PinKindCase& pin_case, std::ostream* out) {
  *out << pin_case.name;
}

std::string Proc(const ChildProcess& child, const std::string& rest) {
  return "/proc/" + std::to_string(child.pid()) + "/" + rest;
}

ChildProcess SpawnFdPinner(const LoopFs& fs, int flags, int fd_number) {
  WriteFile(fs.File("file"), "data\n");
  return SpawnSleepWithFd(fs.File("file"), flags, fd_number);
}

std::string Tid(const ChildProcess& child) {
  return std::to_string(child.ready_value());
}

std::vector<PinKindCase> Cases() {
  auto sleep_entry = [](const std::string& how) {
    return [how](const ChildProcess& c) { return PinEntry(c.pid(), "sleep", how); };
  };
  return {
      {"Cwd", [](const LoopFs& fs) { return SpawnSleepWithCwd(fs.mountpoint()); }, sleep_entry("cwd"),
       [](const ChildProcess& c) { return Proc(c, "cwd"); }},
      {"RootByChroot", [](const LoopFs& fs) { return SpawnChrooted(fs.mountpoint()); },
       [](const ChildProcess& c) { return PinEntry(c.pid(), "pin-root", "root"); },
       [](const ChildProcess& c) { return Proc(c, "root"); }},
      {"Exe", [](const LoopFs& fs) { return SpawnSleepFrom(fs.mountpoint()); }, sleep_entry("exe"),
       [](const ChildProcess& c) { return Proc(c, "exe"); }, false},
      {"FdRead", [](const LoopFs& fs) { return SpawnFdPinner(fs, O_RDONLY, 5); }, sleep_entry("fd 5 (read)"),
       [](const ChildProcess& c) { return Proc(c, "fd/5"); }},
      {"FdWrite", [](const LoopFs& fs) { return SpawnFdPinner(fs, O_WRONLY, 6); },
       sleep_entry("fd 6 (write)"), [](const ChildProcess& c) { return Proc(c, "fd/6"); }},
      {"FdReadWrite", [](const LoopFs& fs) { return SpawnFdPinner(fs, O_RDWR, 8); },
       sleep_entry("fd 8 (read/write)"), [](const ChildProcess& c) { return Proc(c, "fd/8"); }},
      {"MmapWithFdClosed", [](const LoopFs& fs) { return SpawnMapper(fs.File("mapped")); },
       [](const ChildProcess& c) { return PinEntry(c.pid(), "pin-mmap", "mmap /mapped"); },
       [](const ChildProcess&) { return std::string(); }},
      {"ThreadWithOwnCwd", [](const LoopFs& fs) { return SpawnThreadWithOwnCwd(fs.mountpoint()); },
       [](const ChildProcess& c) { return std::to_string(c.pid()) + "/" + Tid(c) + " (pin-thread) cwd"; },
       [](const ChildProcess& c) { return Proc(c, "task/" + Tid(c) + "/cwd"); }},
  };
}

class DetachedMountPinnedOneWay : public ::testing::TestWithParam<PinKindCase> {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD");
    fs_.emplace();
    pinner_.emplace(GetParam().spawn(*fs_));
    fs_->mount().Detach();
  }

  std::string Entry() const { return GetParam().entry(*pinner_); }

  std::optional<LoopFs> fs_;
  std::optional<ChildProcess> pinner_;
};

// Given an ext2 fs lazily detached and pinned in exactly one way, we should see findmnt --detached list it
// with that pin as "PID (COMMAND) HOW", under the unique id the pin itself reports.
TEST_P(DetachedMountPinnedOneWay, IsListedWithThatPin) {
  const DetachedListing listing = ListDetached();
  ASSERT_EQ(listing.run.exit_code, 0) << listing.run.Describe();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  if (GetParam().only_entry) {
    EXPECT_EQ(PinnersOf(rows[0]), Entry());
  } else {
    // The pinner's other pins follow in its summary ("exe, mmap /sleep").
    ASSERT_EQ(PinnerEntries(rows[0]).size(), 1u) << PinnersOf(rows[0]);
    EXPECT_THAT(PinnerEntries(rows[0])[0], ::testing::StartsWith(Entry() + ", ")) << PinnersOf(rows[0]);
  }
  EXPECT_EQ(UniqIdOf(rows[0]), fs_->mount().unique_id());
  const std::string proc_path = GetParam().proc_path(*pinner_);
  if (!proc_path.empty()) {
    EXPECT_EQ(UniqueMountId(proc_path), UniqIdOf(rows[0])) << proc_path;
  }
}

// Given the same, we should hear from mkfs-guard that the device is busy because of that pin.
TEST_P(DetachedMountPinnedOneWay, MkfsGuardNamesThatPin) {
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  if (GetParam().only_entry) {
    EXPECT_EQ(FirstLine(guard.out), DetachedBusyLine(fs_->device(), "ext2", {Entry()})) << guard.Describe();
  } else {
    EXPECT_THAT(FirstLine(guard.out), ::testing::StartsWith(DetachedBusyLine(fs_->device(), "ext2", {""})));
    EXPECT_THAT(FirstLine(guard.out), ::testing::HasSubstr(Entry())) << guard.Describe();
  }
}

// Given a detached fs pinned first (lower pid) by a mapping, which has no /proc link to follow, and then by
// an open fd, we should see the mount described through the fd: its old mount id and its options are known.
TEST(DetachedMountPinnedByMappingAndFd, IsDescribedThroughTheFd) {
  ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT");
  LoopFs fs;
  ChildProcess mapper = SpawnMapper(fs.File("mapped"));
  ChildProcess holder = SpawnSleepWithFd(fs.File("held"), O_RDWR | O_CREAT, 7);
  ASSERT_LT(mapper.pid(), holder.pid());
  fs.mount().Detach();
  const RunResult list = RunCommand({Findmnt(), "--detached", "-J", "-l", "-o", "SOURCE,ID,VFS-OPTIONS"});
  const std::optional<nlohmann::json> doc = ParseJson(list.out);
  ASSERT_TRUE(doc.has_value()) << list.Describe();
  const std::vector<nlohmann::json> rows = RowsForSource(*doc, fs.device());
  ASSERT_EQ(rows.size(), 1u) << list.Describe();
  EXPECT_TRUE(rows[0]["id"].is_number()) << rows[0].dump();
  EXPECT_EQ(Text(rows[0], "vfs-options").rfind("rw", 0), 0u) << rows[0].dump();
}

INSTANTIATE_TEST_SUITE_P(EachPinKind, DetachedMountPinnedOneWay, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<PinKindCase>& info) { return info.param.name; });

}  // namespace
}  // namespace itest

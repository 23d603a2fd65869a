// SPDX-License-Identifier: GPL-2.0-or-later
// A binfmt_misc entry with flag F whose interpreter lies on a loop-mounted ext4 M: the kernel opened the
// interpreter at registration and holds it, so `umount M` is busy and, after `umount -l M`, the filesystem
// lives on and its device stays claimed. Every tool names the entry, none names another device or guesses;
// removing the entry ends the filesystem. binfmt_misc is mounted in the test's own namespace; its entries
// belong to the user namespace's one instance (shared with any other mount of it), so the entry's name is
// unique to the run and its guard removes it. Each case runs through both sources (DETACH_SCAN_SOURCE): /proc
// places the interpreter by the path it was registered with, which after umount -l only the journal's former
// mount point leads to; BPF reads the file the kernel holds, and names the entries of an instance no mount
// table shows, which /proc cannot read at all.
#include <sys/mount.h>

#include <cstdlib>

#include "pinners.h"

#include "probe_scenario.h"
#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPrefix = "detach-itest-binfmt-";

class BinfmtInterpreterOnM : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT", "FUSER", "MKFS_GUARD");
    ASSERT_EQ(setenv("DETACH_SCAN_SOURCE", GetParam().c_str(), 1), 0);
    EnterPrivateMountNamespace();
    binfmt_.emplace("binfmt_misc", kBinfmtDir, "binfmt_misc");
    RemoveBinfmtLeftovers(kPrefix);
    fs_.emplace("ext4");
    CopyExecutable("/bin/true", fs_->File("interp"));
  }
  void TearDown() override { unsetenv("DETACH_SCAN_SOURCE"); }
  bool Bpf() const { return GetParam() == "bpf"; }
  void Register(bool open_file) { entry_.emplace(UniqueName(kPrefix), fs_->File("interp"), open_file); }
  std::string Pinner(bool by_former_target) const {
    return "binfmt_misc entry " + entry_->name() + " (interpreter " + fs_->File("interp") +
           (by_former_target ? "; found by the former mount point)" : ")");
  }
  std::string Advice() const {
    return "remove the binfmt_misc entry " + entry_->name() + " first: echo -1 > " + entry_->file();
  }

  std::optional<Mount> binfmt_;
  std::optional<LoopFs> fs_;
  std::optional<BinfmtEntry> entry_;  // destroyed first: the filesystem can end
};

// Given an entry with flag F, umount M is busy, and our umount names the entry and how to remove it.
TEST_P(BinfmtInterpreterOnM, UmountIsBusyAndNamesTheEntry) {
  Register(true);
  const std::string mnt = fs_->mountpoint();
  RunResult r = RunCommand({Umount(), mnt});
  EXPECT_EQ(r.exit_code, 32) << r.Describe();
  EXPECT_EQ(Lines(r.err),
            (std::vector<std::string>{"umount: " + mnt + ": target is busy.",
                                      kIndent + mnt + " is pinned by " + Pinner(false), kIndent + Advice()}))
      << r.Describe();
  RunResult fuser = RunCommand({Fuser(), "-vm", fs_->device()});
  EXPECT_THAT(fuser.err,
              HasSubstr(" binfmt " + entry_->name() + " (interpreter " + fs_->File("interp") + ")"))
      << fuser.Describe();
}

// Given the same after umount -l, the filesystem lives on: umount says so and names the entry; findmnt
// --detached, mkfs-guard (text and -J), fuser -v and fuser --detached -v name it, and nothing else; once the
// entry is removed the filesystem ends. /proc finds the interpreter by the former mount point, BPF where the
// kernel holds it.
TEST_P(BinfmtInterpreterOnM, AfterALazyUmountEveryToolNamesTheEntryUntilItIsRemoved) {
  Register(true);
  const std::string mnt = fs_->mountpoint();
  const std::string dev = fs_->device();
  const bool by_former = !Bpf();
  RunResult lazy = RunCommand({Umount(), "-l", mnt});
  EXPECT_EQ(lazy.exit_code, 0) << lazy.Describe();
  const std::string lives_on = "umount: " + mnt + ": lazily unmounted, but its filesystem lives on";
  const std::string waits =
      kIndent + "findmnt --detached shows it; mkfs-guard --wait " + dev + " waits for its end";
  EXPECT_EQ(Lines(lazy.err),
            (std::vector<std::string>{lives_on, kIndent + "its filesystem is held by " + Pinner(by_former),
                                      kIndent + Advice(), waits}))
      << lazy.Describe();
  ASSERT_FALSE(DeviceIsFree(dev));

  DetachedListing listing = ListDetached();
  std::vector<nlohmann::json> rows = listing.RowsFor(dev);
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_EQ(PinnersOf(rows[0]), Pinner(by_former)) << listing.run.Describe();
  ExpectNoGuess(listing.run.out);

  RunResult guard = RunCommand({MkfsGuard(), dev});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out), HasSubstr(dev + " is busy: ")) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out), HasSubstr(Pinner(by_former))) << guard.Describe();
  ExpectNoGuess(guard.out);
  ExpectNoOtherLoopDevice(guard.out, dev);

  RunResult json = RunCommand({MkfsGuard(), "-J", dev});
  std::optional<nlohmann::json> doc = ParseJson(json.out);
  ASSERT_TRUE(doc.has_value()) << json.Describe();
  std::vector<nlohmann::json> entries = GuardPinnersOfKind(*doc, "binfmt_misc");
  ASSERT_EQ(entries.size(), 1u) << doc->dump(2);
  EXPECT_EQ(Text(entries[0], "holder"), entry_->name());
  EXPECT_EQ(entries[0]["certain"], true);
  EXPECT_EQ(Text(entries[0]["pins"][0], "path"), fs_->File("interp"));
  EXPECT_EQ(Text(entries[0]["pins"][0], "instance"), kBinfmtDir);
  ExpectNoOtherLoopDevice(json.out, dev);

  const std::string row = " binfmt " + entry_->name() + " (interpreter " + fs_->File("interp") +
                          (by_former ? "; found by the former mount point)" : ")");
  RunResult fuser = RunCommand({Fuser(), "-v", "-m", dev});
  EXPECT_THAT(fuser.err, HasSubstr(row)) << fuser.Describe();
  RunResult detached = RunCommand({Fuser(), "--detached", "-v", dev});
  EXPECT_THAT(detached.err, HasSubstr(row)) << detached.Describe();
  ExpectNoOtherLoopDevice(detached.err, dev);

  entry_->Remove();
  EXPECT_TRUE(WaitUntil([&] { return DeviceIsFree(dev); }, 10s)) << "the filesystem outlived its entry";
}

// Given an entry without F whose interpreter is on M, the kernel holds nothing: umount M just works.
TEST_P(BinfmtInterpreterOnM, AnEntryWithoutFHoldsNothing) {
  Register(false);
  RunResult guard = RunCommand({MkfsGuard(), "-J", fs_->device()});
  EXPECT_TRUE(GuardPinnersOfKind(ParseJson(guard.out).value_or(nlohmann::json()), "binfmt_misc").empty())
      << guard.Describe();
  RunResult r = RunCommand({Umount(), fs_->mountpoint()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.err, "");
}

INSTANTIATE_TEST_SUITE_P(EachSource, BinfmtInterpreterOnM, ::testing::Values("proc", "bpf"),
                         [](const auto& info) { return info.param; });

// An entry with flag F of a binfmt_misc instance no mount table shows: a user namespace's own, whose one
// mount was lazily detached by the process that stands in it. Its interpreter, on M, holds M's filesystem
// after umount -l M. The /proc source cannot read the instance (nothing the scan sees holds the filesystem);
// BPF reads it through the process's user namespace and names the entry, with the file where the kernel holds
// it.
class BinfmtInstanceNoMountShows : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT", "FUSER", "MKFS_GUARD");
    ASSERT_EQ(setenv("DETACH_SCAN_SOURCE", GetParam().c_str(), 1), 0);
    EnterPrivateMountNamespace();
    // Before M is mounted: the instance's namespace must not hold a copy of M's mount.
    instance_dir_.emplace();
    holder_.emplace(SpawnInDetachedBinfmtInstance(instance_dir_->path()));
    fs_.emplace("ext4");
    CopyExecutable("/bin/true", fs_->File("interp"));
    // Registered by us through the holder's cwd: the interpreter's path is resolved in our namespace.
    const std::string instance = "/proc/" + std::to_string(holder_->pid()) + "/cwd";
    entry_.emplace(UniqueName(kPrefix), fs_->File("interp"), true, instance);
  }
  void TearDown() override { unsetenv("DETACH_SCAN_SOURCE"); }
  bool Bpf() const { return GetParam() == "bpf"; }

  std::optional<TempDir> instance_dir_;
  std::optional<ChildProcess> holder_;  // ended after the entry and M: then the instance ends
  std::optional<LoopFs> fs_;
  std::optional<BinfmtEntry> entry_;
};

// Given M lazily unmounted and held by that entry alone, mkfs-guard (text and -J), findmnt --detached and
// fuser -v name the entry through BPF, for certain, and guess nothing; through /proc nothing the scan sees
// holds the filesystem (what "may" hold it then is whatever else is unplaced on the machine: other tests'
// objects run beside this one). Once the entry is removed, the filesystem ends.
TEST_P(BinfmtInstanceNoMountShows, OnlyBpfNamesTheEntry) {
  const std::string dev = fs_->device();
  RunResult lazy = RunCommand({Umount(), "-l", fs_->mountpoint()});
  ASSERT_EQ(lazy.exit_code, 0) << lazy.Describe();
  ASSERT_FALSE(DeviceIsFree(dev));
  const std::string pinner =
      "binfmt_misc entry " + entry_->name() + " (interpreter " + fs_->File("interp") + ")";

  RunResult guard = RunCommand({MkfsGuard(), dev});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  RunResult json = RunCommand({MkfsGuard(), "-J", dev});
  std::optional<nlohmann::json> doc = ParseJson(json.out);
  ASSERT_TRUE(doc.has_value()) << json.Describe();
  std::vector<nlohmann::json> entries = GuardPinnersOfKind(*doc, "binfmt_misc");
  RunResult fuser = RunCommand({Fuser(), "-v", "-m", dev});
  DetachedListing listing = ListDetached();
  std::vector<nlohmann::json> rows = listing.RowsFor(dev);
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  if (!Bpf()) {
    EXPECT_THAT(FirstLine(guard.out), HasSubstr("nothing the scan sees holds it")) << guard.Describe();
    EXPECT_TRUE(entries.empty()) << doc->dump(2);
    EXPECT_THAT(fuser.err, Not(HasSubstr(entry_->name()))) << fuser.Describe();
    EXPECT_THAT(PinnersOf(rows[0]), Not(HasSubstr(entry_->name()))) << listing.run.Describe();
  } else {
    EXPECT_THAT(FirstLine(guard.out), HasSubstr("still held by: " + pinner)) << guard.Describe();
    ASSERT_EQ(entries.size(), 1u) << doc->dump(2);
    EXPECT_EQ(Text(entries[0], "holder"), entry_->name());
    EXPECT_EQ(entries[0]["certain"], true);
    EXPECT_EQ(Text(entries[0]["pins"][0], "path"), fs_->File("interp"));
    EXPECT_EQ(Text(entries[0]["pins"][0], "instance"), "");
    EXPECT_THAT(fuser.err,
                HasSubstr(" binfmt " + entry_->name() + " (interpreter " + fs_->File("interp") + ")"))
        << fuser.Describe();
    EXPECT_EQ(PinnersOf(rows[0]), pinner) << listing.run.Describe();
    ExpectNoGuess(guard.out);
    ExpectNoOtherLoopDevice(guard.out, dev);
    ExpectNoGuess(listing.run.out);
  }
  entry_->Remove();
  EXPECT_TRUE(WaitUntil([&] { return DeviceIsFree(dev); }, 10s)) << "the filesystem outlived its entry";
}

INSTANTIATE_TEST_SUITE_P(EachSource, BinfmtInstanceNoMountShows, ::testing::Values("proc", "bpf"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace itest

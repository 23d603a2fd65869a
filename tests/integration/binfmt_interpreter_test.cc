// SPDX-License-Identifier: GPL-2.0-or-later
// A binfmt_misc entry with flag F whose interpreter lies on a loop-mounted ext4 M: the kernel opened the
// interpreter at registration and holds it, so `umount M` is busy and, after `umount -l M`, the filesystem
// lives on and its device stays claimed. Every tool names the entry, none names another device or guesses;
// removing the entry ends the filesystem. binfmt_misc is mounted in the test's own namespace; its entries
// belong to the user namespace's one instance (shared with any other mount of it), so the entry's name is
// unique to the run and its guard removes it.
#include <sys/mount.h>

#include "probe_scenario.h"
#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

constexpr const char* kPrefix = "detach-itest-binfmt-";

class BinfmtInterpreterOnM : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT", "FUSER", "MKFS_GUARD");
    EnterPrivateMountNamespace();
    binfmt_.emplace("binfmt_misc", kBinfmtDir, "binfmt_misc");
    RemoveBinfmtLeftovers(kPrefix);
    fs_.emplace("ext4");
    CopyExecutable("/bin/true", fs_->File("interp"));
  }
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
TEST_F(BinfmtInterpreterOnM, UmountIsBusyAndNamesTheEntry) {
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
// entry is removed the filesystem ends.
TEST_F(BinfmtInterpreterOnM, AfterALazyUmountEveryToolNamesTheEntryUntilItIsRemoved) {
  Register(true);
  const std::string mnt = fs_->mountpoint();
  const std::string dev = fs_->device();
  RunResult lazy = RunCommand({Umount(), "-l", mnt});
  EXPECT_EQ(lazy.exit_code, 0) << lazy.Describe();
  EXPECT_EQ(Lines(lazy.err),
            (std::vector<std::string>{
                "umount: " + mnt + ": lazily unmounted, but its filesystem lives on",
                kIndent + "its filesystem is held by " + Pinner(true), kIndent + Advice(),
                kIndent + "findmnt --detached shows it; mkfs-guard --wait " + dev + " waits for its end"}))
      << lazy.Describe();
  ASSERT_FALSE(DeviceIsFree(dev));

  DetachedListing listing = ListDetached();
  std::vector<nlohmann::json> rows = listing.RowsFor(dev);
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_EQ(PinnersOf(rows[0]), Pinner(true)) << listing.run.Describe();
  ExpectNoGuess(listing.run.out);

  RunResult guard = RunCommand({MkfsGuard(), dev});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out), HasSubstr(dev + " is busy: ")) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out), HasSubstr(Pinner(true))) << guard.Describe();
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
                          "; found by the former mount point)";
  RunResult fuser = RunCommand({Fuser(), "-v", "-m", dev});
  EXPECT_THAT(fuser.err, HasSubstr(row)) << fuser.Describe();
  RunResult detached = RunCommand({Fuser(), "--detached", "-v", dev});
  EXPECT_THAT(detached.err, HasSubstr(row)) << detached.Describe();
  ExpectNoOtherLoopDevice(detached.err, dev);

  entry_->Remove();
  EXPECT_TRUE(WaitUntil([&] { return DeviceIsFree(dev); }, 10s)) << "the filesystem outlived its entry";
}

// Given an entry without F whose interpreter is on M, the kernel holds nothing: umount M just works.
TEST_F(BinfmtInterpreterOnM, AnEntryWithoutFHoldsNothing) {
  Register(false);
  RunResult guard = RunCommand({MkfsGuard(), "-J", fs_->device()});
  EXPECT_TRUE(GuardPinnersOfKind(ParseJson(guard.out).value_or(nlohmann::json()), "binfmt_misc").empty())
      << guard.Describe();
  RunResult r = RunCommand({Umount(), fs_->mountpoint()});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// An active swap file on the fs keeps it alive after a lazy umount; /proc/swaps then shows a path relative to
// the detached root, and swapoff by the old path fails.
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>

#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// An active swap file, swapped off on destruction before anything else goes. After a lazy umount its path no
// longer reaches it, so then the device is mounted again (same superblock) on a scratch dir to swapoff.
class SwapFile {
 public:
  SwapFile(const LoopFs& fs, const std::string& name) : fs_(fs), name_(name) {
    WriteFile(fs.File(name), std::string(16 << 20, '\0'));  // no holes: swapon refuses sparse files
    RunOrThrow({"mkswap", fs.File(name)});
    if (swapon(fs.File(name).c_str(), 0) != 0) throw std::runtime_error("swapon " + fs.File(name));
  }
  SwapFile(const SwapFile&) = delete;
  SwapFile& operator=(const SwapFile&) = delete;
  ~SwapFile() {
    if (swapoff(fs_.File(name_).c_str()) == 0) return;
    const std::string scratch = fs_.dir().path() + "/swapoff";
    mkdir(scratch.c_str(), 0755);
    try {
      Mount again(fs_.device(), scratch, fs_.fstype());
      swapoff((scratch + "/" + name_).c_str());
    } catch (const std::exception& error) {
      ADD_FAILURE() << "cannot swapoff " << name_ << ": " << error.what();
    }
  }

 private:
  const LoopFs& fs_;
  std::string name_;
};

class SwapFileOnDetachedFs : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD", "FUSER");
    fs_.emplace();
    swap_.emplace(*fs_, "swapfile");
    fs_->mount().Detach();
  }

  std::optional<LoopFs> fs_;
  std::optional<SwapFile> swap_;  // destroyed first
};

// Given an active swap file on a lazily unmounted fs, mkfs-guard should say the filesystem lives on mounted
// nowhere and that the swap file may hold it: /proc/swaps prints its path inside the detached tree
// ("/swapfile"), which places it on no filesystem, so "may" is all that can be said (and no "probably").
TEST_F(SwapFileOnDetachedFs, MkfsGuardSaysTheSwapFileMayHoldIt) {
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_EQ(FirstLine(guard.out),
            fs_->device() +
                " is busy: it holds an ext2 filesystem that is mounted nowhere, yet still "
                "alive: nothing the scan sees holds it")
      << guard.Describe();
  EXPECT_THAT(SuspectsLine(guard.out), HasSubstr("swap file /swapfile")) << guard.Describe();
  EXPECT_THAT(guard.out, Not(HasSubstr("probably"))) << guard.Describe();
}

// Given the same, mkfs-guard -J gives the swap file as a suspect of the detached filesystem, not as certain.
TEST_F(SwapFileOnDetachedFs, MkfsGuardJsonHasTheSwapFileAsASuspect) {
  const RunResult guard = RunCommand({MkfsGuard(), "-J", fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::optional<nlohmann::json> doc = ParseJson(guard.out);
  ASSERT_TRUE(doc.has_value());
  // The detached filesystem, then the note of this test's own fd on the loop device.
  ASSERT_EQ(Reasons(*doc).size(), 2u) << doc->dump(2);
  const nlohmann::json reason = Reasons(*doc)[0];
  EXPECT_EQ(Text(reason, "kind"), "detached-mount") << doc->dump(2);
  bool found = false;
  for (const nlohmann::json& suspect : reason["suspects"]) {
    if (Text(suspect, "kind") != "swap-file" || Text(suspect, "holder") != "/swapfile") continue;
    found = true;
    EXPECT_EQ(suspect["certain"], false) << doc->dump(2);
  }
  EXPECT_TRUE(found) << doc->dump(2);
}

// Given the same, findmnt --detached lists the filesystem (sysfs shows it alive, no mount does), the swap
// file below it as "may".
TEST_F(SwapFileOnDetachedFs, FindmntDetachedListsItWithTheSwapFile) {
  const DetachedListing listing = ListDetached();
  ASSERT_EQ(listing.run.exit_code, 0) << listing.run.Describe();
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  // What the scan could not place: this swap file, and on a shared machine maybe others' too.
  const std::vector<std::string> entries = PinnerEntries(rows[0]);
  EXPECT_THAT(entries, ::testing::Contains("swap file /swapfile")) << rows[0].dump();
  for (const nlohmann::json& p : rows[0]["pinners"]) EXPECT_EQ(p["certain"], false) << p.dump();
  const RunResult table = RunCommand({Findmnt(), "--detached"});
  EXPECT_THAT(table.out, HasSubstr("may: swap file /swapfile")) << table.Describe();
}

// Given the same, fuser --detached -v says nothing it sees holds the filesystem and that the swap file may.
TEST_F(SwapFileOnDetachedFs, FuserDetachedSaysTheSwapFileMayHoldIt) {
  const RunResult fuser = RunCommand({Fuser(), "--detached", "-v", fs_->device()});
  EXPECT_THAT(fuser.err, HasSubstr(fs_->device() + ": nothing the scan sees holds it; it may be held by "))
      << fuser.Describe();
  EXPECT_THAT(fuser.err, HasSubstr("swap file /swapfile")) << fuser.Describe();
  EXPECT_THAT(fuser.err + fuser.out, Not(HasSubstr("probably"))) << fuser.Describe();
}

}  // namespace
}  // namespace itest

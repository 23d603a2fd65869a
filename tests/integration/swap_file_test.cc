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
    ITEST_REQUIRE_ROOT_AND_TOOLS("MKFS_GUARD");
    fs_.emplace();
    swap_.emplace(*fs_, "swapfile");
    fs_->mount().Detach();
  }

  std::optional<LoopFs> fs_;
  std::optional<SwapFile> swap_;  // destroyed first
};

// Given an active swap file on a lazily unmounted fs, we should hear from mkfs-guard that a swap file holds
// it.
TEST_F(SwapFileOnDetachedFs, MkfsGuardSaysASwapFileHoldsIt) {
  const RunResult guard = RunCommand({MkfsGuard(), fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out), HasSubstr(fs_->device() + " is busy: ")) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out), HasSubstr("swap file")) << guard.Describe();
  EXPECT_THAT(guard.out, Not(HasSubstr("is unknown"))) << guard.Describe();
}

// Given the same, we should get a "swap-file" reason from mkfs-guard -J.
TEST_F(SwapFileOnDetachedFs, MkfsGuardJsonHasASwapFileReason) {
  const RunResult guard = RunCommand({MkfsGuard(), "-J", fs_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::optional<nlohmann::json> doc = ParseJson(guard.out);
  ASSERT_TRUE(doc.has_value());
  bool found = false;
  for (const nlohmann::json& reason : Reasons(*doc)) {
    found = found || Text(reason, "kind") == "swap-file";
  }
  EXPECT_TRUE(found) << "no {\"kind\":\"swap-file\"} reason: " << doc->dump(2);
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// A loop device backed by a file on the fs keeps the fs alive after a lazy umount; no /proc scan sees that
// pin, only the loop device's status does.
#include "harness.h"

namespace itest {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

class LoopBackedByFileOnDetachedFs : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD");
    outer_.emplace();
    MakeImage(outer_->File("inner.img"), 16);
    inner_.emplace(outer_->File("inner.img"));
    outer_->mount().Detach();
  }

  std::string LoopPin() const { return "loop " + inner_->path(); }

  std::optional<LoopFs> outer_;
  std::optional<LoopDevice> inner_;  // destroyed first: releases its backing file, then the fs can go
};

// Given an inner loop device backed by a file on a lazily unmounted fs, we should hear from mkfs-guard on the
// outer device that the inner loop device holds it.
TEST_F(LoopBackedByFileOnDetachedFs, MkfsGuardNamesTheInnerLoopDevice) {
  const RunResult guard = RunCommand({MkfsGuard(), outer_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  EXPECT_THAT(FirstLine(guard.out), HasSubstr(outer_->device() + " is busy: ")) << guard.Describe();
  EXPECT_THAT(guard.out, HasSubstr(LoopPin())) << guard.Describe();
}

// Given the same, we should get a "loop-backing" reason naming the inner device from mkfs-guard -J.
TEST_F(LoopBackedByFileOnDetachedFs, MkfsGuardJsonHasALoopBackingReason) {
  const RunResult guard = RunCommand({MkfsGuard(), "-J", outer_->device()});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::optional<nlohmann::json> doc = ParseJson(guard.out);
  ASSERT_TRUE(doc.has_value());
  bool found = false;
  for (const nlohmann::json& reason : Reasons(*doc)) {
    found = found || (Text(reason, "kind") == "loop-backing" && Text(reason, "loop") == inner_->path());
  }
  EXPECT_TRUE(found) << "no {\"kind\":\"loop-backing\",\"loop\":\"" << inner_->path()
                     << "\"}: " << doc->dump(2);
}

// Given the same, we should see findmnt --detached list the outer fs with the kernel pin "loop /dev/loopM".
TEST_F(LoopBackedByFileOnDetachedFs, DetachedMountListsTheInnerLoopAsPinner) {
  const DetachedListing listing = ListDetached();
  const std::vector<nlohmann::json> rows = listing.RowsFor(outer_->device());
  ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
  EXPECT_THAT(PinnerEntries(rows[0]), Contains(LoopPin())) << PinnersOf(rows[0]);
}

// Given the same, we should see the tree put the inner loop device right under the outer filesystem's row:
// the kernel does not say which mount of the filesystem its backing file holds, so no mount row is made up
// for it.
TEST_F(LoopBackedByFileOnDetachedFs, TreeHangsTheLoopPinUnderTheFilesystem) {
  const RunResult tree = RunCommand({Findmnt(), "--detached", "-J", "-o", "SOURCE,UNIQ-ID,HOW"});
  ASSERT_EQ(tree.exit_code, 0) << tree.Describe();
  const std::optional<nlohmann::json> doc = ParseJson(tree.out);
  ASSERT_TRUE(doc.has_value()) << tree.Describe();
  const std::vector<nlohmann::json> rows = RowsForSource(*doc, outer_->device());
  ASSERT_EQ(rows.size(), 1u) << tree.out;
  ASSERT_TRUE(rows[0].contains("pinners")) << tree.out;
  std::vector<std::string> how;
  for (const nlohmann::json& pinner : rows[0]["pinners"]) how.push_back(Text(pinner, "how"));
  EXPECT_THAT(how, Contains(LoopPin())) << tree.out;
  for (const nlohmann::json& m : rows[0]["mounts"]) EXPECT_TRUE(m["pinners"].empty()) << tree.out;
}

}  // namespace
}  // namespace itest

// SPDX-License-Identifier: GPL-2.0-or-later
// A uprobe event (tracefs uprobe_events) on a binary of a loop-mounted ext4 M: the kernel keeps the probed
// file's path, mount included, so `umount M` is busy and, after `umount -l M`, the filesystem lives on and
// its device stays claimed. Every tool names the event, none names another device or guesses; removing the
// event ends the filesystem. tracefs is mounted in the test's own namespace; uprobe events are one list for
// the whole system, so the event's name is unique to the run and its guard removes it.
#include <sys/mount.h>

#include "probe_scenario.h"
#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

constexpr const char* kPrefix = "detach_itest_uprobe_";

class UprobeEventOnM : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT", "FUSER", "MKFS_GUARD");
    EnterPrivateMountNamespace();
    tracefs_.emplace("tracefs", kTracefs, "tracefs");
    RemoveUprobeLeftovers(kPrefix);
    fs_.emplace("ext4");
    CopyExecutable("/bin/true", fs_->File("target"));
    event_.emplace(UniqueName(kPrefix), fs_->File("target"), 0x1000);
  }
  std::string Name() const { return "uprobes/" + event_->name(); }
  std::string Probe() const { return "probe " + fs_->File("target") + ":0x1000"; }
  std::string Pinner(bool by_former_target) const {
    return "uprobe " + Name() + " (" + Probe() +
           (by_former_target ? "; found by the former mount point)" : ")");
  }
  std::string Advice() const {
    return "remove the uprobe event " + Name() + " first: echo -:" + Name() + " >> " + EventsFile();
  }

  std::optional<Mount> tracefs_;
  std::optional<LoopFs> fs_;
  std::optional<UprobeEvent> event_;  // destroyed first: the filesystem can end
};

// Given the event, umount M is busy, and our umount names the event and how to remove it.
TEST_F(UprobeEventOnM, UmountIsBusyAndNamesTheEvent) {
  const std::string mnt = fs_->mountpoint();
  RunResult r = RunCommand({Umount(), mnt});
  EXPECT_EQ(r.exit_code, 32) << r.Describe();
  EXPECT_EQ(Lines(r.err),
            (std::vector<std::string>{"umount: " + mnt + ": target is busy.",
                                      kIndent + mnt + " is pinned by " + Pinner(false), kIndent + Advice()}))
      << r.Describe();
  RunResult fuser = RunCommand({Fuser(), "-vm", fs_->device()});
  EXPECT_THAT(fuser.err, HasSubstr(" uprobe " + Name() + " (" + Probe() + ")")) << fuser.Describe();
}

// Given the same after umount -l, the filesystem lives on: umount says so and names the event; findmnt
// --detached, mkfs-guard (text and -J), fuser -v and fuser --detached -v name it, and nothing else; once the
// event is removed the filesystem ends.
TEST_F(UprobeEventOnM, AfterALazyUmountEveryToolNamesTheEventUntilItIsRemoved) {
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
  std::vector<nlohmann::json> events = GuardPinnersOfKind(*doc, "uprobe");
  ASSERT_EQ(events.size(), 1u) << doc->dump(2);
  EXPECT_EQ(Text(events[0], "holder"), Name());
  EXPECT_EQ(events[0]["certain"], true);
  EXPECT_EQ(Text(events[0]["pins"][0], "probe"), "p:" + Name() + " " + fs_->File("target") + ":0x1000");
  EXPECT_EQ(Text(events[0]["pins"][0], "path"), fs_->File("target"));
  ExpectNoOtherLoopDevice(json.out, dev);

  const std::string row = " uprobe " + Name() + " (" + Probe() + "; found by the former mount point)";
  RunResult fuser = RunCommand({Fuser(), "-v", "-m", dev});
  EXPECT_THAT(fuser.err, HasSubstr(row)) << fuser.Describe();
  RunResult detached = RunCommand({Fuser(), "--detached", "-v", dev});
  EXPECT_THAT(detached.err, HasSubstr(row)) << detached.Describe();
  ExpectNoOtherLoopDevice(detached.err, dev);

  event_->Remove();
  EXPECT_TRUE(WaitUntil([&] { return DeviceIsFree(dev); }, 10s)) << "the filesystem outlived its uprobe";
}

}  // namespace
}  // namespace itest

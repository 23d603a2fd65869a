// SPDX-License-Identifier: GPL-2.0-or-later
// Root in a PID namespace of its own (`unshare -m -p -f --mount-proc`, as a privileged container): the kernel
// walks every mount namespace only for the initial PID namespace (6.18: NS_MNT_GET_NEXT gives EPERM here),
// so what can be listed are the namespaces of the processes this one shows. An ext2 loop filesystem is
// mounted there, pinned by a sleep's cwd and lazily unmounted; then findmnt, fuser and mkfs-guard run there.
// Journaled by our umount, the detach is proven (a unique id is never reused) and every tool lists it with
// its former mount point; unrecorded, every tool says the same thing: detached, or mounted in a namespace
// of a process outside, which only the initial PID namespace can tell. A watcher (findmnt --detached
// --poll) there watches the namespaces of its PID namespace's processes and reports and journals the detach.
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"

namespace itest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Runs in the new namespaces as their PID 1, with no fd from outside them (an inherited fd pins a mount
// of a namespace outside, which would be told as such: not this scenario's point). $1 device, $2 mount
// point, $3 where the outputs go, $4 findmnt, $5 fuser, $6 mkfs-guard, $7 the lazy umount's command line,
// $8 our umount.
constexpr const char* kScript = R"sh(
exec </dev/null >"$3/script.log" 2>&1
mount -t ext2 "$1" "$2" || exit 2
(cd "$2" && exec sleep 1000) &
pin=$!
n=0
until [ "$(readlink /proc/$pin/cwd)" = "$2" ] && [ "$(cat /proc/$pin/comm)" = sleep ]; do
  n=$((n + 1))
  [ $n -le 600 ] || { echo "the pinner never settled in $2"; exit 3; }
  sleep 0.05
done
echo $pin >"$3/pin"
eval "$7" || { echo "lazy umount failed"; exit 4; }
"$4" --detached -J -l -o UNIQ-ID,SOURCE,TARGET,PINNERS >"$3/findmnt.out" 2>"$3/findmnt.err"
echo $? >"$3/findmnt.rc"
"$5" --detached >"$3/fuser.out" 2>"$3/fuser.err"
echo $? >"$3/fuser.rc"
"$6" "$1" >"$3/guard.out" 2>"$3/guard.err"
echo $? >"$3/guard.rc"
"$6" -J "$1" >"$3/guard.json" 2>/dev/null
exit 0
)sh";

// The watcher there: started before the detach (ready once it has said what it watches), the detach by a
// plain umount2(MNT_DETACH), then the watcher's rows and stderr. $1 device, $2 mount point, $3 where the
// outputs go, $4 findmnt.
constexpr const char* kWatchScript = R"sh(
exec </dev/null >"$3/script.log" 2>&1
mount -t ext2 "$1" "$2" || exit 2
"$4" --detached --poll -w 60000 -o ACTION,SOURCE,TARGET,PINNERS >"$3/rows" 2>"$3/rows.err" &
watcher=$!
(cd "$2" && exec sleep 1000) &
pin=$!
n=0
until [ "$(readlink /proc/$pin/cwd)" = "$2" ] && [ "$(cat /proc/$pin/comm)" = sleep ] && [ -s "$3/rows.err" ]; do
  n=$((n + 1))
  [ $n -le 600 ] || { echo "the pinner or the watcher never got ready"; exit 3; }
  sleep 0.05
done
echo $pin >"$3/pin"
python3 -c 'import ctypes, sys; sys.exit(ctypes.CDLL(None).umount2(sys.argv[1].encode(), 2) != 0)' "$2" || exit 4
n=0
until grep -q "^detach .* $pin (sleep) cwd" "$3/rows"; do
  n=$((n + 1))
  [ $n -le 600 ] || { echo "the watcher never reported the detach"; exit 5; }
  sleep 0.05
done
kill $watcher
exit 0
)sh";

struct ToolRuns {
  std::string pin;  // the pinner, by its pid in the new PID namespace (as the tools there name it)
  std::string findmnt_out, findmnt_err, findmnt_rc;
  std::string fuser_out, fuser_err, fuser_rc;
  std::string guard_out, guard_rc, guard_json;
};

std::string Chomped(const std::string& path) {
  std::string text = ReadFile(path);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

class DetachInChildPidNamespace : public ::testing::Test {
 protected:
  void SetUp() override { ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "FUSER", "MKFS_GUARD", "UMOUNT"); }

  // The scenario, with LAZY_UMOUNT ("$2" is the mount point) making the detach; the tools' outputs.
  ToolRuns Run(const std::string& lazy_umount) {
    const std::string out = fs_.dir().MakeDir("out");
    const RunResult run = RunCommand({"unshare", "-m", "-p", "-f", "--mount-proc", "--propagation", "private",
                                      "sh", "-c", kScript, "sh", fs_.device(), fs_.mountpoint(), out,
                                      Findmnt(), Fuser(), MkfsGuard(), lazy_umount, Umount()});
    EXPECT_EQ(run.exit_code, 0) << run.Describe() << "\n" << ReadFile(out + "/script.log");
    ToolRuns r;
    r.pin = Chomped(out + "/pin");
    r.findmnt_out = ReadFile(out + "/findmnt.out");
    r.findmnt_err = ReadFile(out + "/findmnt.err");
    r.findmnt_rc = Chomped(out + "/findmnt.rc");
    r.fuser_out = ReadFile(out + "/fuser.out");
    r.fuser_err = ReadFile(out + "/fuser.err");
    r.fuser_rc = Chomped(out + "/fuser.rc");
    r.guard_out = ReadFile(out + "/guard.out");
    r.guard_rc = Chomped(out + "/guard.rc");
    r.guard_json = ReadFile(out + "/guard.json");
    return r;
  }

  LoopFs fs_{"ext2", 64, /*mount_now=*/false};
};

// Given the detach made by our umount (journaled), we should see findmnt, fuser and mkfs-guard all list the
// filesystem as lazily unmounted from its mount point and pinned by the sleep, with no word of anything
// unseen (no fd here reaches outside).
TEST_F(DetachInChildPidNamespace, DetachJournaledByUmountIsListedByEveryTool) {
  const ToolRuns r = Run("\"$8\" -l \"$2\"");
  ASSERT_FALSE(r.pin.empty());
  const std::string pinner = r.pin + " (sleep) cwd";

  EXPECT_EQ(r.findmnt_rc, "0") << r.findmnt_err;
  EXPECT_EQ(r.findmnt_err, "");
  std::optional<nlohmann::json> doc = ParseJson(r.findmnt_out);
  ASSERT_TRUE(doc.has_value());
  DetachedListing listing;
  listing.doc = doc;
  const std::vector<nlohmann::json> rows = listing.RowsFor(fs_.device());
  ASSERT_EQ(rows.size(), 1u) << r.findmnt_out;
  EXPECT_EQ(Text(rows[0], "target"), fs_.mountpoint()) << r.findmnt_out;
  EXPECT_EQ(PinnersOf(rows[0]), pinner) << r.findmnt_out;

  EXPECT_EQ(r.fuser_rc, "0") << r.fuser_err;
  EXPECT_EQ(PidsPrinted(r.fuser_out), std::vector<pid_t>{std::stoi(r.pin)}) << r.fuser_out;
  EXPECT_THAT(r.fuser_err, Not(HasSubstr("can tell")));

  EXPECT_EQ(r.guard_rc, "1") << r.guard_out;
  EXPECT_EQ(FirstLine(r.guard_out),
            fs_.device() + " is busy: it holds an ext2 filesystem that was lazily unmounted from " +
                fs_.mountpoint() + " and is still pinned by: " + pinner);
  EXPECT_THAT(r.guard_out, Not(HasSubstr("can tell")));
  std::optional<nlohmann::json> guard = ParseJson(r.guard_json);
  ASSERT_TRUE(guard.has_value());
  ASSERT_EQ(Reasons(*guard).size(), 1u) << r.guard_json;
  EXPECT_EQ(Text(Reasons(*guard)[0], "kind"), "detached-mount");
  EXPECT_EQ(Text(Reasons(*guard)[0], "former-target"), fs_.mountpoint());
}

// Given the watcher running there, we should see it say which namespaces it watches (its own PID
// namespace's), report the detach with the former mount point and pinner, and journal it.
TEST_F(DetachInChildPidNamespace, WatcherReportsAndJournalsTheDetach) {
  const std::string out = fs_.dir().MakeDir("watch");
  const RunResult run =
      RunCommand({"unshare", "-m", "-p", "-f", "--mount-proc", "--propagation", "private", "sh", "-c",
                  kWatchScript, "sh", fs_.device(), fs_.mountpoint(), out, Findmnt()});
  ASSERT_EQ(run.exit_code, 0) << run.Describe() << "\n" << ReadFile(out + "/script.log");
  const std::string pin = Chomped(out + "/pin");
  const std::string rows = ReadFile(out + "/rows");
  EXPECT_EQ(
      ReadFile(out + "/rows.err"),
      "findmnt: warning: watching only the mount namespaces of this PID namespace's processes: the initial "
      "PID namespace sees them all\n");
  std::string detach_row;
  std::istringstream lines(rows);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("detach ", 0) == 0 && line.find(" " + pin + " (sleep) cwd") != std::string::npos)
      detach_row = line;
  EXPECT_THAT(detach_row, HasSubstr(" " + fs_.device() + " ")) << rows;
  EXPECT_THAT(detach_row, HasSubstr(" " + fs_.mountpoint() + " ")) << rows;
  EXPECT_THAT(ReadFile("/run/detach-utils/journal"), HasSubstr("target=" + fs_.mountpoint() + "\t"));
}

// Given a detach nobody recorded (umount2(MNT_DETACH) straight, as a container runtime makes it), we should
// see every tool say the same: one mount is in no namespace of a process here, which may be a detach or a
// mount in a namespace outside; findmnt and fuser list nothing, mkfs-guard names the pinner and says so.
TEST_F(DetachInChildPidNamespace, UnrecordedDetachIsToldAsUnprovenByEveryTool) {
  const ToolRuns r = Run(
      "python3 -c 'import ctypes, sys; sys.exit(ctypes.CDLL(None).umount2(sys.argv[1].encode(), 2) != 0)' "
      "\"$2\"");
  ASSERT_FALSE(r.pin.empty());
  const std::string unproven =
      "1 mount pinned by processes is in no mount namespace of a process in this PID namespace: attached in "
      "a "
      "namespace of a process outside it or detached, only the initial PID namespace can tell\n";

  EXPECT_EQ(r.findmnt_rc, "1") << r.findmnt_out;
  EXPECT_EQ(r.findmnt_err, "findmnt: " + unproven);
  EXPECT_EQ(r.fuser_err, "fuser: " + unproven);
  EXPECT_TRUE(PidsPrinted(r.fuser_out).empty()) << r.fuser_out;

  EXPECT_EQ(r.guard_rc, "1") << r.guard_out;
  EXPECT_THAT(r.guard_out, HasSubstr("pinned by: " + r.pin + " (sleep) cwd"));
  EXPECT_THAT(r.guard_out,
              HasSubstr("no mount namespace of a process in this PID namespace has it mounted: it "
                        "may be mounted in one outside it, only the initial PID namespace can "
                        "tell"));
}

}  // namespace
}  // namespace itest

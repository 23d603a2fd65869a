// SPDX-License-Identifier: GPL-2.0-or-later
// Real-parts harness for the integration tests: temp dirs, loop devices, mounts, pinner processes and runs
// of the tools, each with an owner that undoes it, also when a test fails.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/unique_fd.h"

namespace itest {

using namespace std::chrono_literals;

// Why this process cannot run privileged tests, or nothing when it can.
std::optional<std::string> MissingPrivilege();
// True when env CI=true: a privileged test that cannot run must fail there, not skip.
bool InCi();
// Enters a private mount namespace (propagation private) so nothing a test mounts leaks to the host.
void EnterPrivateMountNamespace();
// Mount namespace ids come from per-CPU batches on 6.18: a namespace made on another CPU may get a lower id
// than ours, and binding its nsfs file here then fails with EINVAL (the kernel's loop check wants the bound
// namespace newer than ours). So stay on one CPU (children inherit the affinity) and start from a fresh
// namespace made on it: every namespace made after it gets a higher id.
void EnterFreshNamespaceOnThisCpu();

// Skips a test that needs root (fails it when CI=true). Use in a test body or SetUp().
#define ITEST_REQUIRE_ROOT()                                                                    \
  do {                                                                                          \
    if (auto itest_missing = ::itest::MissingPrivilege()) {                                     \
      if (::itest::InCi()) FAIL() << *itest_missing << " (CI=true: privileged tests must run)"; \
      GTEST_SKIP() << *itest_missing;                                                           \
    }                                                                                           \
  } while (0)

// Skips a test of the BPF source in a build that has none (meson -Dbpf=disabled, or a machine without clang's
// bpf target, bpftool or libbpf): there the tools answer from /proc, as the same scenario's /proc tests
// check. Not a missing privilege: it skips under CI=true too.
#define ITEST_REQUIRE_BPF_SOURCE_BUILT()                                                                \
  do {                                                                                                  \
    if (!::itest::BuildHasBpfSource()) GTEST_SKIP() << "this build has no BPF source (-Dbpf=disabled)"; \
  } while (0)
// False when meson set DETACH_BUILD_HAS_BPF=no in the tests' environment.
bool BuildHasBpfSource();

// A binary named by an environment variable (FINDMNT, MKFS_GUARD, FUSE_HELLO); fails the test when missing.
#define ITEST_REQUIRE_TOOL(var)                                           \
  do {                                                                    \
    if (auto itest_why = ::itest::MissingTool(var)) FAIL() << *itest_why; \
  } while (0)
std::optional<std::string> MissingTool(const char* env_var);
std::string ToolPath(const char* env_var);
std::string Findmnt();
std::string MkfsGuard();
std::string Umount();
std::string Fuser();
// The pids fuser printed on stdout (its "kernel" words left out). Each run of digits is one: as psmisc's, our
// fuser writes one name's pids and the next name's "kernel" with nothing between them ("kernel 812kernel").
std::vector<pid_t> PidsPrinted(const std::string& out);

// The preamble of a scenario's SetUp(): ITEST_REQUIRE_ROOT(), then ITEST_REQUIRE_TOOL() for each variable
// named, in order, e.g. ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD"). A macro, not a function: the
// skip or failure must return from the caller, so that nothing after it in SetUp() runs.
#define ITEST_REQUIRE_ROOT_AND_TOOLS(...)                                      \
  do {                                                                         \
    ITEST_REQUIRE_ROOT();                                                      \
    for (const char* itest_var : {__VA_ARGS__}) ITEST_REQUIRE_TOOL(itest_var); \
  } while (0)

// The library's owner of an fd: the harness uses the same one as the code under test.
using UniqueFd = detach::UniqueFd;

// A fresh directory under /tmp, removed with everything in it (never crossing into a mount).
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }
  // path()/name, created as a directory.
  std::string MakeDir(const std::string& name) const;

 private:
  std::string path_;
};

// A sparse image file of `megabytes` at `path`.
void MakeImage(const std::string& path, int megabytes);
// Writes `content` to `path` (created, truncated).
void WriteFile(const std::string& path, const std::string& content);
// Reads a whole file, bytes as they are; empty when it cannot be read.
std::string ReadFile(const std::string& path);

// A loop device on `backing_file`, configured with LO_FLAGS_AUTOCLEAR: it frees itself when the last user
// (our fd, a mount) goes, also if this process dies. Our fd is read-only: mkfs-guard notes it as a reader.
class LoopDevice {
 public:
  // READ_ONLY: the backing file is opened read-only and the device is read-only (LO_FLAGS_READ_ONLY).
  // PARTSCAN: the kernel reads the partition table (losetup -P): /dev/loopNpM appear.
  explicit LoopDevice(const std::string& backing_file, bool read_only = false, bool partscan = false);
  LoopDevice(const LoopDevice&) = delete;
  LoopDevice& operator=(const LoopDevice&) = delete;
  const std::string& path() const { return path_; }  // "/dev/loopN"
  int number() const { return number_; }
  std::string MajMin() const;  // "7:N"

 private:
  UniqueFd fd_;
  int number_ = -1;
  std::string path_;
};

// A blank loop device: TEMP/disk.img of `megabytes` (sparse, nothing on it) on a LoopDevice.
class BlankLoop {
 public:
  explicit BlankLoop(int megabytes = 64);
  const TempDir& dir() const { return dir_; }
  const std::string& path() const { return loop_.path(); }  // "/dev/loopN"

 private:
  TempDir dir_;
  std::string image_;
  LoopDevice loop_;
};

// A mount this test made; on destruction it is lazily unmounted if `target` still is that very mount.
class Mount {
 public:
  Mount(const std::string& source, const std::string& target, const std::string& fstype,
        unsigned long flags = 0, const std::string& data = "");
  static Mount Bind(const std::string& source, const std::string& target);
  Mount(const Mount&) = delete;
  Mount& operator=(const Mount&) = delete;
  Mount(Mount&& other) noexcept;
  Mount& operator=(Mount&&) = delete;
  ~Mount();
  const std::string& target() const { return target_; }
  std::uint64_t unique_id() const { return unique_id_; }
  // umount2(MNT_DETACH) now: the lazy umount under test.
  void Detach();
  // umount2(0) now: a plain umount.
  void Unmount();

 private:
  Mount() = default;
  bool StillAttachedHere() const;
  std::string target_;
  std::uint64_t unique_id_ = 0;
  bool gone_ = true;
};

// A filesystem on real parts: TEMP/disk.img on a loop device, made by mkfs.FSTYPE, mounted at TEMP/x.
class LoopFs {
 public:
  // Mounts at TEMP/`mount_name` unless `mount_now` is false.
  explicit LoopFs(const std::string& fstype = "ext2", int megabytes = 64, bool mount_now = true,
                  const std::string& mount_name = "x");
  const TempDir& dir() const { return dir_; }
  const LoopDevice& loop() const { return loop_; }
  const std::string& device() const { return loop_.path(); }
  const std::string& fstype() const { return fstype_; }
  std::string mountpoint() const { return dir_.path() + "/" + mount_name_; }
  Mount& mount() { return *mount_; }
  // Mounts the device at mountpoint() (with mount options `data`).
  void MountAt(const std::string& data = "");
  // mountpoint()/name
  std::string File(const std::string& name) const { return mountpoint() + "/" + name; }

 private:
  TempDir dir_;
  std::string fstype_;
  std::string mount_name_;
  std::string image_;
  LoopDevice loop_;
  std::optional<Mount> mount_;
};

// What a child reports back: ready (with a value) or failed (with a message).
class ReadyPipe {
 public:
  ReadyPipe();
  int write_fd() const { return write_.get(); }
  // In the child: report ready with a value (e.g. a tid) and keep running.
  void Signal(std::int64_t value = 0) const;
  // In the child: report a failure and _exit(127).
  [[noreturn]] void Fail(const std::string& what) const;
  // In the parent: waits for Signal, for exec (EOF) or for Fail; returns the value or throws.
  std::int64_t Wait(std::chrono::milliseconds timeout);
  void CloseWriteEnd() { write_.reset(); }

 private:
  UniqueFd read_;
  UniqueFd write_;
};

// A child process this test forked. Killed (SIGKILL) and reaped by its pid only, on Kill() or destruction.
class ChildProcess {
 public:
  using Body = std::function<void(const ReadyPipe&)>;
  // Forks; the child closes all inherited fds but the ready pipe and runs `body`, which must end by exec
  // (ready at exec) or by Signal() and pausing. Returns once the child is ready.
  static ChildProcess Spawn(const Body& body);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess() { Kill(); }
  pid_t pid() const { return pid_; }
  std::int64_t ready_value() const { return ready_value_; }
  void Signal(int signo) const;
  void Kill();
  // Waits for the child to end (something else killed it), at most TIMEOUT; reaps it and returns its wait
  // status, or nullopt while it still runs. Once reaped, its pid is no longer this object's to signal.
  std::optional<int> WaitForEnd(std::chrono::milliseconds timeout);

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  std::int64_t ready_value_ = 0;
};

// Child bodies (they run in the forked child, after fork).
[[noreturn]] void ExecSleep(const ReadyPipe& ready);
[[noreturn]] void PauseForever();
void ChdirOrFail(const ReadyPipe& ready, const std::string& dir);
// Opens `file` with `flags`, moves it to fd `fd_number` (kept across exec).
void OpenAsFdOrFail(const ReadyPipe& ready, const std::string& file, int flags, int fd_number);
void SetCommOrFail(const ReadyPipe& ready, const std::string& comm);

// A fork of this binary in a new mount namespace (propagation private), holding a copy of every mount, its
// comm "ns-holder".
ChildProcess SpawnInNewMountNamespace();
// The inode of PID's mount namespace (as "mnt:[INODE]" names it).
std::string MountNamespaceInode(pid_t pid);

// The common pinners: `sleep 1000` with its cwd in `dir`; `sleep 1000` holding `file` open as fd `fd_number`.
ChildProcess SpawnSleepWithCwd(const std::string& dir);
ChildProcess SpawnSleepWithFd(const std::string& file, int flags, int fd_number);

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal or on timeout
  bool timed_out = false;
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};
  std::string Describe() const;  // for failure messages
};
// Runs argv[0] (looked up in PATH when it has no '/') with stdout and stderr captured; SIGKILL at `timeout`.
RunResult RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = 60s);
// Runs a setup command (mkfs, mkswap, btrfs) and throws when it fails.
void RunOrThrow(const std::vector<std::string>& argv);

// A command running while the test goes on (mkfs-guard --wait, waiting for what the test does next): its
// output is read as it comes. Killed (SIGKILL) and reaped on destruction if it is still running.
class AsyncCommand {
 public:
  explicit AsyncCommand(const std::vector<std::string>& argv);
  AsyncCommand(const AsyncCommand&) = delete;
  AsyncCommand& operator=(const AsyncCommand&) = delete;
  ~AsyncCommand();
  pid_t pid() const { return pid_; }
  // Reads stderr until it holds TEXT (true) or TIMEOUT passes or it ends (false).
  bool WaitForStderr(const std::string& text, std::chrono::milliseconds timeout = 30s);
  // Waits for the exit (SIGKILL at TIMEOUT) and returns everything it printed.
  RunResult Finish(std::chrono::milliseconds timeout = 60s);

 private:
  void ReadAvailable(int timeout_ms);
  pid_t pid_ = -1;
  UniqueFd out_, err_;
  bool closed_[2] = {false, false};  // EOF seen on stdout, stderr
  RunResult result_;
  std::chrono::steady_clock::time_point start_;
};

// statx(path, STATX_MNT_ID_UNIQUE) with AT_STATX_DONT_SYNC; follows magic links (/proc/PID/cwd).
std::uint64_t UniqueMountId(const std::string& path);
// Polls `pred` every 20 ms until it is true or `timeout` passes.
bool WaitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout);
// How many times DETACH_FS_TIMEOUT_MS stretches the default bound on a call into a filesystem (at least 1): a
// sanitized build's tests set it, and a bound a test waits for stretches with it.
long long FsTimeoutStretch();
// A hang check's bound for a tool that may wait out the bound on calls into a dead filesystem a few times:
// 10 s at the default bound, stretched with it. Not a performance timing.
std::chrono::milliseconds HangBound();

// Whether process PID holds a fanotify group open: a watcher (findmnt --detached --poll) is watching.
bool HoldsFanotify(pid_t pid);
// True once open(O_EXCL) on the block device succeeds: no filesystem holds it any more.
bool DeviceIsFree(const std::string& device);
// /proc/PID/comm, without the newline.
std::string CommOf(pid_t pid, pid_t tid = 0);
// The state letter of /proc/PID/stat ('S', 'T', 'Z', ...); '?' when the process is gone.
char TaskState(pid_t pid);
// Waits until the pid's comm is `comm` (exec has finished); false on timeout.
bool WaitForComm(pid_t pid, const std::string& comm);

// "PID (COMMAND) HOW" as the tools print a task pin.
std::string PinEntry(pid_t pid, const std::string& comm, const std::string& how);
// "NAME:" and the padding psmisc's fuser -v puts before a row's USER column: NAME_FIELD (20) columns, then a
// space; a longer name gets a line of its own. (/dev/loop7 is padded by ten spaces, /dev/loop10 by nine.)
inline std::string FuserNameColumn(const std::string& name) {
  constexpr std::size_t kNameField = 20;
  const std::size_t len = name.size() + 1;
  if (len > kNameField) return name + ":\n" + std::string(kNameField + 1, ' ');
  return name + ":" + std::string(kNameField + 1 - len, ' ');
}
// Joins entries with ", ".
std::string JoinPins(const std::vector<std::string>& entries);
std::string FirstLine(const std::string& text);

// Parses JSON, failing the calling test (not throwing) when it does not parse.
std::optional<nlohmann::json> ParseJson(const std::string& text);
// A member of a JSON object as text / as a number; "" / -1 when it is missing, null or of another type.
std::string Text(const nlohmann::json& object, const std::string& key);
std::int64_t Number(const nlohmann::json& object, const std::string& key);
// The "reasons" array of a `mkfs-guard -J` document (empty when missing).
nlohmann::json Reasons(const nlohmann::json& doc);
// The "pinners" array of a reason (empty when missing).
nlohmann::json Pinners(const nlohmann::json& reason);
// The rows of `findmnt -J` whose "source" is `source` (or `source[/subvol]`).
std::vector<nlohmann::json> RowsForSource(const nlohmann::json& doc, const std::string& source);
// The pinners of a mount object of `findmnt --detached -J` (or of a mkfs-guard reason), each as the PINNERS
// column names it: "PID (COMMAND) HOW", "PID/TID (COMMAND) HOW" or a kernel pinner's name.
std::vector<std::string> PinnerEntries(const nlohmann::json& row);
// The pinner object of process PID in ROW's array KEY ("pinners", "suspects"); null when there is none.
nlohmann::json PinnerOf(const nlohmann::json& row, pid_t pid, const std::string& key = "pinners");
// The line mkfs-guard prints for what may hold a device ("it may be held by ..."), or "" when there is none.
std::string SuspectsLine(const std::string& text);
// PinnerEntries joined with ", ".
std::string PinnersOf(const nlohmann::json& row);
// The UNIQ-ID cell of a row as a number (a number in JSON, or a string of digits).
std::uint64_t UniqIdOf(const nlohmann::json& row);

// mkfs-guard on DEVICE, an ext4 mounted nowhere that process PID holds for certain through a pin of KIND,
// named ENTRY ("PID (COMMAND) HOW"): its first line should say ENTRY still pins it, and its JSON's first
// reason be the detached mount with PID's pinner certain, its first pin of KIND. The filesystem "is mounted
// nowhere" where the scan knows it only by its device; it "was lazily unmounted" where the scan found that
// detached mount itself (AS_ITSELF). Returns that reason (null when there is none), for a test's own further
// checks.
nlohmann::json ExpectGuardNamesCertainPinnerOfDetached(const std::string& device, const std::string& entry,
                                                       pid_t pid, const std::string& kind,
                                                       bool as_itself = false);

// `findmnt --detached -J -o UNIQ-ID,SOURCE,MAJ:MIN,FSTYPE,TARGET,PINNERS`, run and parsed.
struct DetachedListing {
  RunResult run;
  std::optional<nlohmann::json> doc;
  std::vector<nlohmann::json> RowsFor(const std::string& source) const;
  // The row of the mount with this unique id (a FUSE mount has no device to find it by).
  std::optional<nlohmann::json> RowWithUniqId(std::uint64_t id) const;
};
DetachedListing ListDetached(std::chrono::milliseconds timeout = 60s);

// "an ext2", "a btrfs": the article mkfs-guard puts before a fs type.
std::string WithArticle(const std::string& fstype);
// The first line mkfs-guard prints for a detached filesystem pinned by these processes (PinEntry texts).
std::string DetachedBusyLine(const std::string& device, const std::string& fstype,
                             const std::vector<std::string>& entries);

}  // namespace itest

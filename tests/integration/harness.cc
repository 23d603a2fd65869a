// SPDX-License-Identifier: GPL-2.0-or-later
#include "harness.h"

#include <fcntl.h>
#include <ftw.h>
#include <linux/loop.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "scan/fs_call_timeout.h"

namespace itest {
namespace {

constexpr unsigned kStatxMntIdUnique = 0x4000;  // Linux 6.8; Debian 12's uapi headers predate it
constexpr int kLoopRetries = 50;

std::string ErrnoText(const std::string& what, int err = errno) {
  return what + ": " + std::strerror(err);
}

[[noreturn]] void Throw(const std::string& what, int err = errno) {
  throw std::runtime_error(ErrnoText(what, err));
}

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// In a forked child: closes every fd from 3 up, except `keep`.
void CloseInheritedFds(int keep) {
  if (keep > 3) close_range(3, keep - 1, 0);
  close_range(keep + 1, ~0U, 0);
}

}  // namespace

std::optional<std::string> MissingPrivilege() {
  if (geteuid() != 0) return "needs root (loop devices, mount(2), unshare)";
  return std::nullopt;
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

bool BuildHasBpfSource() {
  const char* has = std::getenv("DETACH_BUILD_HAS_BPF");
  return has == nullptr || std::string(has) != "no";
}

void EnterPrivateMountNamespace() {
  if (MissingPrivilege()) return;  // the privileged tests skip (or fail under CI) on their own
  if (unshare(CLONE_NEWNS) != 0) Throw("unshare(CLONE_NEWNS)");
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) Throw("make / private");
  // The detach journal lives in /run/detach-utils: the tests' own /run keeps theirs apart from the host's.
  if (mount("itest-run", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
    Throw("mount a tmpfs on /run");
}

void EnterFreshNamespaceOnThisCpu() {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  CPU_SET(sched_getcpu(), &cpus);
  if (sched_setaffinity(0, sizeof cpus, &cpus) != 0) Throw("sched_setaffinity");
  EnterPrivateMountNamespace();
}

std::string ToolPath(const char* env_var) {
  const char* path = std::getenv(env_var);
  return path == nullptr ? std::string() : std::string(path);
}

std::optional<std::string> MissingTool(const char* env_var) {
  const std::string path = ToolPath(env_var);
  if (path.empty()) return std::string("env ") + env_var + " is not set (run through meson test)";
  if (access(path.c_str(), X_OK) != 0) return ErrnoText(std::string(env_var) + "=" + path + " is not built");
  return std::nullopt;
}

std::string Findmnt() {
  return ToolPath("FINDMNT");
}
std::string MkfsGuard() {
  return ToolPath("MKFS_GUARD");
}
std::string Umount() {
  return ToolPath("UMOUNT");
}

std::string Fuser() {
  return ToolPath("FUSER");
}

std::vector<pid_t> PidsPrinted(const std::string& out) {
  std::vector<pid_t> pids;
  std::size_t at = 0;
  while ((at = out.find_first_of("0123456789", at)) != std::string::npos) {
    const std::size_t end = std::min(out.find_first_not_of("0123456789", at), out.size());
    pids.push_back(std::stoi(out.substr(at, end - at)));
    at = end;
  }
  return pids;
}

// ---- TempDir ----

TempDir::TempDir() {
  std::string tmpl = "/tmp/detach-itest.XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) Throw("mkdtemp");
  path_ = tmpl;
}

TempDir::~TempDir() {
  auto remove_one = [](const char* path, const struct stat*, int, struct FTW*) {
    remove(path);  // a directory still mounted on fails with EBUSY and stays: better than crossing into it
    return 0;
  };
  nftw(path_.c_str(), remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

std::string TempDir::MakeDir(const std::string& name) const {
  std::string dir = path_ + "/" + name;
  if (mkdir(dir.c_str(), 0755) != 0) Throw("mkdir " + dir);
  return dir;
}

void MakeImage(const std::string& path, int megabytes) {
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (fd.get() < 0) Throw("create " + path);
  if (ftruncate(fd.get(), off_t{megabytes} * 1024 * 1024) != 0) Throw("truncate " + path);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) Throw("create " + path);
  if (write(fd.get(), content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
    Throw("write " + path);
  }
}

// ---- LoopDevice ----

LoopDevice::LoopDevice(const std::string& backing_file, bool read_only, bool partscan) {
  UniqueFd backing(open(backing_file.c_str(), (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC));
  if (backing.get() < 0) Throw("open " + backing_file);
  UniqueFd control(open("/dev/loop-control", O_RDWR | O_CLOEXEC));
  if (control.get() < 0) Throw("open /dev/loop-control");
  loop_config config{};
  config.fd = static_cast<__u32>(backing.get());
  config.info.lo_flags =
      LO_FLAGS_AUTOCLEAR | (read_only ? LO_FLAGS_READ_ONLY : 0) | (partscan ? LO_FLAGS_PARTSCAN : 0);
  // Another process may take the free device between GET_FREE and CONFIGURE: retry with the next one.
  for (int attempt = 0; attempt < kLoopRetries; ++attempt) {
    const int number = ioctl(control.get(), LOOP_CTL_GET_FREE);
    if (number < 0) Throw("LOOP_CTL_GET_FREE");
    std::string path = "/dev/loop" + std::to_string(number);
    UniqueFd dev(open(path.c_str(), O_RDWR | O_CLOEXEC));
    if (dev.get() < 0) Throw("open " + path);
    if (ioctl(dev.get(), LOOP_CONFIGURE, &config) == 0) {
      // Kept open read-only (autoclear would free the device at the last close): mkfs-guard counts a
      // process that has a device open for writing as a reason it is busy; a reader is only a note.
      fd_.reset(open(path.c_str(), O_RDONLY | O_CLOEXEC));
      if (fd_.get() < 0) Throw("open " + path);
      number_ = number;
      path_ = path;
      return;
    }
    if (errno != EBUSY) Throw("LOOP_CONFIGURE " + path);
  }
  Throw("no free loop device", EBUSY);
}

std::string LoopDevice::MajMin() const {
  struct stat st {};
  if (stat(path_.c_str(), &st) != 0) Throw("stat " + path_);
  return std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev));
}

// ---- LoopFs ----

namespace {

std::string MakeImageIn(const TempDir& dir, int megabytes) {
  std::string image = dir.path() + "/disk.img";
  MakeImage(image, megabytes);
  return image;
}

std::vector<std::string> MkfsArgv(const std::string& fstype, const std::string& device) {
  if (fstype == "btrfs") return {"mkfs.btrfs", "-q", "-f", device};
  if (fstype == "xfs") return {"mkfs.xfs", "-q", "-f", device};
  return {"mkfs." + fstype, "-q", device};
}

}  // namespace

BlankLoop::BlankLoop(int megabytes) : image_(MakeImageIn(dir_, megabytes)), loop_(image_) {}

LoopFs::LoopFs(const std::string& fstype, int megabytes, bool mount_now, const std::string& mount_name)
    : fstype_(fstype), mount_name_(mount_name), image_(MakeImageIn(dir_, megabytes)), loop_(image_) {
  RunOrThrow(MkfsArgv(fstype, loop_.path()));
  dir_.MakeDir(mount_name_);
  if (mount_now) MountAt();
}

void LoopFs::MountAt(const std::string& data) {
  mount_.emplace(loop_.path(), mountpoint(), fstype_, 0, data);
}

// ---- Mount ----

Mount::Mount(const std::string& source, const std::string& target, const std::string& fstype,
             unsigned long flags, const std::string& data)
    : target_(target) {
  const char* type = fstype.empty() ? nullptr : fstype.c_str();
  const char* options = data.empty() ? nullptr : data.c_str();
  if (mount(source.c_str(), target.c_str(), type, flags, options) != 0) {
    Throw("mount " + source + " on " + target);
  }
  try {
    unique_id_ = UniqueMountId(target);
  } catch (...) {
    umount2(target.c_str(), MNT_DETACH);  // just mounted by us: undo before reporting
    throw;
  }
  gone_ = false;
}

Mount Mount::Bind(const std::string& source, const std::string& target) {
  return Mount(source, target, "", MS_BIND);
}

Mount::Mount(Mount&& other) noexcept
    : target_(std::move(other.target_)),
      unique_id_(other.unique_id_),
      gone_(std::exchange(other.gone_, true)) {}

bool Mount::StillAttachedHere() const {
  try {
    return !gone_ && UniqueMountId(target_) == unique_id_;
  } catch (const std::exception&) {
    return false;
  }
}

Mount::~Mount() {
  if (StillAttachedHere()) umount2(target_.c_str(), MNT_DETACH);
}

void Mount::Detach() {
  if (umount2(target_.c_str(), MNT_DETACH) != 0) Throw("umount2(MNT_DETACH) " + target_);
  gone_ = true;
}

void Mount::Unmount() {
  if (umount2(target_.c_str(), 0) != 0) Throw("umount " + target_);
  gone_ = true;
}

// ---- ReadyPipe ----

ReadyPipe::ReadyPipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) Throw("pipe2");
  read_.reset(fds[0]);
  write_.reset(fds[1]);
}

void ReadyPipe::Signal(std::int64_t value) const {
  const std::string message = "R" + std::to_string(value) + "\n";
  if (write(write_.get(), message.data(), message.size()) < 0) _exit(126);
}

void ReadyPipe::Fail(const std::string& what) const {
  const std::string message = "E" + ErrnoText(what) + "\n";
  if (write(write_.get(), message.data(), message.size()) < 0) _exit(126);
  _exit(127);
}

std::int64_t ReadyPipe::Wait(std::chrono::milliseconds timeout) {
  std::string message;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (message.find('\n') == std::string::npos) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd pfd{read_.get(), POLLIN, 0};
    if (left.count() <= 0 || poll(&pfd, 1, static_cast<int>(left.count())) == 0) {
      throw std::runtime_error("child did not report ready in time");
    }
    char buf[256];
    const ssize_t n = read(read_.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 0;  // EOF: the child reached exec
    message.append(buf, static_cast<size_t>(n));
  }
  if (message[0] == 'E') throw std::runtime_error("child failed: " + message.substr(1, message.size() - 2));
  return std::stoll(message.substr(1));
}

// ---- ChildProcess ----

ChildProcess ChildProcess::Spawn(const Body& body) {
  ReadyPipe ready;
  const pid_t pid = fork();
  if (pid < 0) Throw("fork");
  if (pid == 0) {
    CloseInheritedFds(ready.write_fd());
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test binary
    try {
      body(ready);
    } catch (const std::exception& error) {
      ready.Fail(std::string("child body threw: ") + error.what());  // never back into gtest in the child
    }
    ready.Fail("child body returned instead of exec or pause");
  }
  ChildProcess child;
  child.pid_ = pid;
  ready.CloseWriteEnd();
  child.ready_value_ = ready.Wait(10s);
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), ready_value_(other.ready_value_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    Kill();
    pid_ = std::exchange(other.pid_, -1);
    ready_value_ = other.ready_value_;
  }
  return *this;
}

void ChildProcess::Signal(int signo) const {
  if (pid_ > 0) kill(pid_, signo);
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

std::optional<int> ChildProcess::WaitForEnd(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  int status = 0;
  if (!WaitUntil([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, timeout)) return std::nullopt;
  pid_ = -1;
  return status;
}

void ExecSleep(const ReadyPipe& ready) {
  execlp("sleep", "sleep", "1000", static_cast<char*>(nullptr));
  ready.Fail("exec sleep");
}

void PauseForever() {
  for (;;) pause();
}

void ChdirOrFail(const ReadyPipe& ready, const std::string& dir) {
  if (chdir(dir.c_str()) != 0) ready.Fail("chdir " + dir);
}

void OpenAsFdOrFail(const ReadyPipe& ready, const std::string& file, int flags, int fd_number) {
  const int fd = open(file.c_str(), flags, 0644);
  if (fd < 0) ready.Fail("open " + file);
  if (fd != fd_number) {
    if (dup2(fd, fd_number) < 0) ready.Fail("dup2");
    close(fd);
  }
}

void SetCommOrFail(const ReadyPipe& ready, const std::string& comm) {
  if (prctl(PR_SET_NAME, comm.c_str()) != 0) ready.Fail("prctl(PR_SET_NAME)");
}

ChildProcess SpawnInNewMountNamespace() {
  return ChildProcess::Spawn([](const ReadyPipe& ready) {
    if (unshare(CLONE_NEWNS) != 0) ready.Fail("unshare(CLONE_NEWNS)");
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ready.Fail("make / private");
    SetCommOrFail(ready, "ns-holder");
    ready.Signal();
    PauseForever();
  });
}

std::string MountNamespaceInode(pid_t pid) {
  struct stat st {};
  const std::string path = "/proc/" + std::to_string(pid) + "/ns/mnt";
  if (stat(path.c_str(), &st) != 0) Throw("stat " + path);
  return std::to_string(st.st_ino);
}

ChildProcess SpawnSleepWithCwd(const std::string& dir) {
  ChildProcess child = ChildProcess::Spawn([&](const ReadyPipe& ready) {
    ChdirOrFail(ready, dir);
    ExecSleep(ready);
  });
  WaitForComm(child.pid(), "sleep");
  return child;
}

ChildProcess SpawnSleepWithFd(const std::string& file, int flags, int fd_number) {
  ChildProcess child = ChildProcess::Spawn([&](const ReadyPipe& ready) {
    OpenAsFdOrFail(ready, file, flags, fd_number);
    ExecSleep(ready);
  });
  WaitForComm(child.pid(), "sleep");
  return child;
}

// ---- Run ----

std::string RunResult::Describe() const {
  std::ostringstream text;
  text << "exit " << exit_code << (timed_out ? " (timed out)" : "") << " after " << elapsed.count()
       << " ms\n--- stdout ---\n"
       << out << "--- stderr ---\n"
       << err;
  return text.str();
}

namespace {

[[noreturn]] void ExecInChild(const std::vector<std::string>& argv, int out_fd, int err_fd) {
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  close_range(3, ~0U, 0);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  dprintf(STDERR_FILENO, "exec %s: %s\n", args[0], std::strerror(errno));
  _exit(127);
}

// Reads both pipes until EOF on both or the deadline; true when both reached EOF.
bool Drain(int out_fd, int err_fd, RunResult& result, std::chrono::steady_clock::time_point deadline) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    if (poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) return false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) sinks[i]->append(buf, static_cast<size_t>(n));
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  return true;
}

}  // namespace

RunResult RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  int out[2];
  int err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) Throw("pipe2");
  UniqueFd out_read(out[0]), out_write(out[1]), err_read(err[0]), err_write(err[1]);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) Throw("fork");
  if (pid == 0) ExecInChild(argv, out[1], err[1]);
  out_write.reset();
  err_write.reset();
  RunResult result;
  result.timed_out = !Drain(out_read.get(), err_read.get(), result, start + timeout);
  if (result.timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

AsyncCommand::AsyncCommand(const std::vector<std::string>& argv) {
  int out[2];
  int err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) Throw("pipe2");
  UniqueFd out_write(out[1]), err_write(err[1]);
  out_.reset(out[0]);
  err_.reset(err[0]);
  start_ = std::chrono::steady_clock::now();
  pid_ = fork();
  if (pid_ < 0) Throw("fork");
  if (pid_ == 0) ExecInChild(argv, out[1], err[1]);
}

AsyncCommand::~AsyncCommand() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

void AsyncCommand::ReadAvailable(int timeout_ms) {
  pollfd fds[2] = {{closed_[0] ? -1 : out_.get(), POLLIN, 0}, {closed_[1] ? -1 : err_.get(), POLLIN, 0}};
  std::string* sinks[2] = {&result_.out, &result_.err};
  if (poll(fds, 2, timeout_ms) <= 0) return;
  for (int i = 0; i < 2; ++i) {
    if (fds[i].fd < 0 || fds[i].revents == 0) continue;
    char buf[4096];
    const ssize_t n = read(fds[i].fd, buf, sizeof buf);
    if (n > 0) sinks[i]->append(buf, static_cast<size_t>(n));
    if (n == 0) closed_[i] = true;
  }
}

bool AsyncCommand::WaitForStderr(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (result_.err.find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid_) {
      ReadAvailable(0);  // ended: what it wrote last
      return result_.err.find(text) != std::string::npos;
    }
    ReadAvailable(20);
  }
  return true;
}

RunResult AsyncCommand::Finish(std::chrono::milliseconds timeout) {
  result_.timed_out = !Drain(out_.get(), err_.get(), result_, std::chrono::steady_clock::now() + timeout);
  if (result_.timed_out) kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  result_.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
  if (!result_.timed_out && WIFEXITED(status)) result_.exit_code = WEXITSTATUS(status);
  return result_;
}

void RunOrThrow(const std::vector<std::string>& argv) {
  const RunResult result = RunCommand(argv, 120s);
  if (result.exit_code != 0) throw std::runtime_error(argv[0] + " failed: " + result.Describe());
}

// ---- small queries ----

std::uint64_t UniqueMountId(const std::string& path) {
  struct statx stx {};
  if (statx(AT_FDCWD, path.c_str(), AT_STATX_DONT_SYNC, kStatxMntIdUnique, &stx) != 0) {
    Throw("statx " + path);
  }
  if ((stx.stx_mask & kStatxMntIdUnique) == 0) Throw("statx " + path + ": no STATX_MNT_ID_UNIQUE", ENOSYS);
  return stx.stx_mnt_id;
}

bool WaitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

long long FsTimeoutStretch() {
  return std::max<long long>(1, detach::fs_call_timeout_from_environment() / detach::kDefaultFsCallTimeout);
}

std::chrono::milliseconds HangBound() {
  return 10s * FsTimeoutStretch();
}

bool DeviceIsFree(const std::string& device) {
  UniqueFd fd(open(device.c_str(), O_RDONLY | O_EXCL | O_CLOEXEC));
  return fd.get() >= 0;
}

char TaskState(pid_t pid) {
  // The command may hold ')' and spaces: the state follows the last ')'.
  const std::string text = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() ? '?' : text[paren + 2];
}

std::string CommOf(pid_t pid, pid_t tid) {
  const std::string path =
      "/proc/" + std::to_string(pid) + (tid > 0 ? "/task/" + std::to_string(tid) : std::string()) + "/comm";
  std::string comm = ReadSmallFile(path);
  if (!comm.empty() && comm.back() == '\n') comm.pop_back();
  return comm;
}

bool WaitForComm(pid_t pid, const std::string& comm) {
  return WaitUntil([&] { return CommOf(pid) == comm; }, 5s);
}

std::string PinEntry(pid_t pid, const std::string& comm, const std::string& how) {
  return std::to_string(pid) + " (" + comm + ") " + how;
}

std::string JoinPins(const std::vector<std::string>& entries) {
  std::string joined;
  for (const std::string& entry : entries) joined += (joined.empty() ? "" : ", ") + entry;
  return joined;
}

std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::optional<nlohmann::json> ParseJson(const std::string& text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    ADD_FAILURE() << "not valid JSON: " << error.what() << "\n" << text;
    return std::nullopt;
  }
}

std::string Text(const nlohmann::json& object, const std::string& key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return {};
  return object[key].get<std::string>();
}

std::int64_t Number(const nlohmann::json& object, const std::string& key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number_integer()) return -1;
  return object[key].get<std::int64_t>();
}

nlohmann::json Reasons(const nlohmann::json& doc) {
  if (!doc.is_object() || !doc.contains("reasons") || !doc["reasons"].is_array())
    return nlohmann::json::array();
  return doc["reasons"];
}

nlohmann::json Pinners(const nlohmann::json& reason) {
  if (!reason.is_object() || !reason.contains("pinners") || !reason["pinners"].is_array()) {
    return nlohmann::json::array();
  }
  return reason["pinners"];
}

std::vector<nlohmann::json> RowsForSource(const nlohmann::json& doc, const std::string& source) {
  std::vector<nlohmann::json> rows;
  if (!doc.is_object() || !doc.contains("filesystems") || !doc["filesystems"].is_array()) return rows;
  for (const nlohmann::json& row : doc["filesystems"]) {
    if (!row.contains("source") || !row["source"].is_string()) continue;
    const std::string value = row["source"].get<std::string>();
    if (value == source || value.rfind(source + "[", 0) == 0) rows.push_back(row);
  }
  return rows;
}

nlohmann::json PinnerOf(const nlohmann::json& row, pid_t pid, const std::string& key) {
  if (!row.contains(key) || !row[key].is_array()) return nullptr;
  for (const nlohmann::json& p : row[key])
    if (Number(p, "pid") == pid) return p;
  return nullptr;
}

nlohmann::json ExpectGuardNamesCertainPinnerOfDetached(const std::string& device, const std::string& entry,
                                                       pid_t pid, const std::string& kind, bool as_itself) {
  const RunResult guard = RunCommand({MkfsGuard(), device});
  EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
  const std::string state = as_itself ? "was lazily unmounted" : "is mounted nowhere";
  EXPECT_EQ(FirstLine(guard.out), device + " is busy: it holds an ext4 filesystem that " + state +
                                      " and is still pinned by: " + entry)
      << guard.Describe();
  const RunResult json = RunCommand({MkfsGuard(), "-J", device});
  const std::optional<nlohmann::json> doc = ParseJson(json.out);
  if (!doc.has_value() || Reasons(*doc).empty()) {
    ADD_FAILURE() << "no reason: " << json.Describe();
    return nullptr;
  }
  nlohmann::json reason = Reasons(*doc)[0];
  EXPECT_EQ(Text(reason, "kind"), "detached-mount") << doc->dump(2);
  const nlohmann::json held = PinnerOf(reason, pid);
  EXPECT_FALSE(held.is_null()) << doc->dump(2);
  if (held.is_null()) return reason;
  EXPECT_EQ(held["certain"], true) << doc->dump(2);
  EXPECT_EQ(Text(held["pins"][0], "kind"), kind) << doc->dump(2);
  return reason;
}

std::string SuspectsLine(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("it may be held by ")) return line;
  return "";
}

std::vector<std::string> PinnerEntries(const nlohmann::json& row) {
  std::vector<std::string> entries;
  if (!row.contains("pinners") || !row["pinners"].is_array()) return entries;
  for (const nlohmann::json& p : row["pinners"]) {
    const std::string kind = Text(p, "kind");
    if (kind != "process" && kind != "thread") {
      entries.push_back(Text(p, "how"));
      continue;
    }
    std::string who = std::to_string(Number(p, "pid"));
    if (kind == "thread") who += "/" + std::to_string(Number(p, "tid"));
    entries.push_back(who + " (" + Text(p, "command") + ") " + Text(p, "how"));
  }
  return entries;
}

std::string PinnersOf(const nlohmann::json& row) {
  return JoinPins(PinnerEntries(row));
}

std::uint64_t UniqIdOf(const nlohmann::json& row) {
  if (!row.contains("uniq-id")) return 0;
  const nlohmann::json& cell = row["uniq-id"];
  if (cell.is_number_unsigned()) return cell.get<std::uint64_t>();
  if (cell.is_string()) return std::strtoull(cell.get<std::string>().c_str(), nullptr, 10);
  return 0;
}

std::vector<nlohmann::json> DetachedListing::RowsFor(const std::string& source) const {
  if (!doc) return {};
  return RowsForSource(*doc, source);
}

std::optional<nlohmann::json> DetachedListing::RowWithUniqId(std::uint64_t id) const {
  if (!doc || !doc->contains("filesystems")) return std::nullopt;
  for (const nlohmann::json& row : (*doc)["filesystems"]) {
    if (UniqIdOf(row) == id) return row;
  }
  return std::nullopt;
}

DetachedListing ListDetached(std::chrono::milliseconds timeout) {
  DetachedListing listing;
  listing.run = RunCommand(
      {Findmnt(), "--detached", "-J", "-l", "-o", "UNIQ-ID,SOURCE,MAJ:MIN,FSTYPE,TARGET,PINNERS"}, timeout);
  // Exit 1 with no output is "nothing listed": no document to parse.
  if (listing.run.exit_code == 0 || !listing.run.out.empty()) listing.doc = ParseJson(listing.run.out);
  return listing;
}

std::string WithArticle(const std::string& fstype) {
  const bool vowel_sound =
      !fstype.empty() && std::string("aeiouxAEIOUX").find(fstype[0]) != std::string::npos;
  return (vowel_sound ? "an " : "a ") + fstype;
}

std::string DetachedBusyLine(const std::string& device, const std::string& fstype,
                             const std::vector<std::string>& entries) {
  std::string pinned_by =
      entries.size() == 1 ? "pinned by: " : "pinned by " + std::to_string(entries.size()) + " processes: ";
  return device + " is busy: it holds " + WithArticle(fstype) +
         " filesystem that was lazily unmounted and is still " + pinned_by + JoinPins(entries);
}

bool HoldsFanotify(pid_t pid) {
  const std::string fds = "/proc/" + std::to_string(pid) + "/fd";
  for (int fd = 3; fd < 16; ++fd) {
    char target[64] = {};
    if (readlink((fds + "/" + std::to_string(fd)).c_str(), target, sizeof target - 1) > 0 &&
        std::string(target) == "anon_inode:[fanotify]")
      return true;
  }
  return false;
}

}  // namespace itest

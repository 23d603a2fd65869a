// SPDX-License-Identifier: GPL-2.0-or-later
// The scanners under load: for STRESS_SECONDS (60), 100 processes at a time fork, pin (cwd, fd for read or
// write, a mapping; some fork a child that inherits the pins), and exit, while mounts of two loop filesystems
// are attached, bind-mounted and lazily detached in a loop. Meanwhile `findmnt --detached -J`, `mkfs-guard -J
// DEV`, `mkfs-guard -J -- mkfs.ext2 -n DEV` (wrapping a dry-run mkfs: busy, 124, while anything mounts the
// fs), `fuser -m DEV` and `fuser --detached DEV` scan again and again. No scan may crash, hang (each is
// bounded) or print invalid JSON, and every (pid, mount) pair a scan names for our filesystems must be one
// the test's own record says that pid held at some point while the scan ran: each pinner writes the unique
// ids of the mounts it pins (statx of its cwd and fds), and the times around its pins are taken before the
// first pin and after it was reaped.
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "../integration/harness.h"

namespace itest {
namespace {

constexpr unsigned kStatxMntIdUnique = 0x4000U;
constexpr int kPinners = 100;   // alive at once
constexpr int kMountSlots = 4;  // mount points per fs, reused round-robin
constexpr std::size_t kMaxRecords = 1 << 18;
constexpr int kMaxPinsPerRecord = 4;

std::int64_t NowNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// What one process held: written by the process itself (pid, mounts) and by whoever reaps it (end). end is
// INT64_MAX while it may still hold them.
struct Record {
  std::atomic<pid_t> pid;
  std::atomic<int> count;
  std::atomic<std::uint64_t> mounts[kMaxPinsPerRecord];
  std::atomic<std::int64_t> start;
  std::atomic<std::int64_t> end;
};

// Shared by every process of the test (MAP_SHARED before the forks): the record, and which mount slot of each
// filesystem is the attached one now.
struct Shared {
  std::atomic<std::size_t> used;
  std::atomic<int> slot[2];
  std::atomic<bool> stop;
  Record records[kMaxRecords];
};

std::uint64_t MountIdOf(int dirfd, const char* path, int flags) {
  struct statx stx {};
  if (statx(dirfd, path, flags | AT_STATX_DONT_SYNC, kStatxMntIdUnique, &stx) != 0) return 0;
  return (stx.stx_mask & kStatxMntIdUnique) ? stx.stx_mnt_id : 0;
}

class Stress {
 public:
  Stress() : fs_{LoopFs("ext2", 16, false), LoopFs("ext2", 16, false)} {
    void* mem = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) throw std::runtime_error("mmap of the shared record");
    shared_ = new (mem) Shared();
    for (int i = 0; i < 2; ++i) {
      // Files to open, on the fs itself: every mount of it shows them.
      Mount setup(fs_[i].device(), Slot(i, 'm', 0), "ext2");
      for (int f = 0; f < 4; ++f)
        WriteFile(Slot(i, 'm', 0) + "/f" + std::to_string(f), std::string(8192, 'x'));
      setup.Unmount();
    }
  }
  Stress(const Stress&) = delete;
  Stress& operator=(const Stress&) = delete;
  ~Stress() {
    Stop();
    munmap(shared_, sizeof(Shared));
  }
  const Shared& shared() const { return *shared_; }
  const LoopFs& fs(int i) const { return fs_[i]; }
  // The test itself (it holds the loop devices open, which fuser -m counts as psmisc's does) and its churner
  // and manager: users of the filesystems that are no pinners of the record.
  std::set<pid_t> helpers() const { return {getpid(), churner_, manager_}; }

  // "DIR/m2" or "DIR/b2": slot K of fs I, its own mount ('m') or its bind mount ('b').
  std::string Slot(int i, char kind, int k) const {
    std::string dir = fs_[i].dir().path() + "/" + kind + std::to_string(k);
    mkdir(dir.c_str(), 0755);
    return dir;
  }

  void Start() {
    churner_ = Fork([this] { Churn(); });
    manager_ = Fork([this] { ManagePinners(); });
  }

  // Ends the churner and the manager (which reaps its pinners first); by pid, then reaped.
  void Stop() {
    shared_->stop = true;
    for (pid_t* pid : {&manager_, &churner_}) {
      if (*pid <= 0) continue;
      int status = 0;
      for (int i = 0; i < 200 && waitpid(*pid, &status, WNOHANG) == 0; ++i) usleep(50'000);
      if (waitpid(*pid, &status, WNOHANG) == 0) {
        kill(*pid, SIGKILL);
        waitpid(*pid, &status, 0);
      }
      *pid = -1;
    }
    // The churner's last slots stay mounted in the test's namespace: detach them, or their dirs cannot go.
    for (int i = 0; i < 2; ++i)
      for (int k = 0; k < kMountSlots; ++k)
        for (char kind : {'b', 'm'}) umount2(Slot(i, kind, k).c_str(), MNT_DETACH);
  }

 private:
  template <typename Body>
  static pid_t Fork(Body body) {
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork");
    if (pid == 0) {
      close_range(3, ~0U, 0);  // the loop devices' fds stay with the test: no pinner holds the device itself
      body();
      _exit(0);
    }
    return pid;
  }

  // Mounts slot K of each fs and binds it, then lazily detaches the slot before: its pinners keep it alive.
  void Churn() {
    std::mt19937 rng(getpid());
    for (int round = 1; !shared_->stop; ++round) {
      for (int i = 0; i < 2; ++i) {
        const int k = round % kMountSlots, old = (round + kMountSlots - 1) % kMountSlots;
        if (mount(fs_[i].device().c_str(), Slot(i, 'm', k).c_str(), "ext2", 0, nullptr) == 0) {
          mount(Slot(i, 'm', k).c_str(), Slot(i, 'b', k).c_str(), nullptr, MS_BIND, nullptr);
          shared_->slot[i] = k;
        }
        umount2(Slot(i, 'b', old).c_str(), MNT_DETACH);
        umount2(Slot(i, 'm', old).c_str(), MNT_DETACH);
      }
      usleep(50'000 + rng() % 200'000);
    }
  }

  // Keeps kPinners pinners alive until told to stop, then reaps the rest; each one's end is set once reaped.
  void ManagePinners() {
    std::mt19937 rng(getpid());
    std::map<pid_t, Record*> alive;
    while (!shared_->stop || !alive.empty()) {
      while (!shared_->stop && alive.size() < kPinners) {
        Record* record = NewRecord();
        if (!record) break;
        const unsigned seed = rng();
        pid_t pid = fork();
        if (pid == 0) Pin(*record, seed);
        if (pid > 0) alive[pid] = record;
      }
      int status = 0;
      pid_t done = waitpid(-1, &status, 0);
      if (done < 0) break;
      if (auto it = alive.find(done); it != alive.end()) {
        it->second->end = NowNs();
        alive.erase(it);
      }
    }
  }

  Record* NewRecord() {
    std::size_t i = shared_->used.fetch_add(1);
    if (i >= kMaxRecords) return nullptr;
    Record& r = shared_->records[i];
    r.end = INT64_MAX;
    r.start = NowNs();  // before any pin: the fork has not happened yet
    return &r;
  }

  static void Note(Record& r, std::uint64_t mount) {
    int n = r.count;
    if (mount != 0 && n < kMaxPinsPerRecord) {
      r.mounts[n] = mount;
      r.count = n + 1;
    }
  }

  // A pinner: one to three pins on the attached slot of one fs (whichever mount its paths reach), held for
  // 10-300 ms; one in four forks a child that inherits them. Its mounts are noted before it holds them long.
  [[noreturn]] void Pin(Record& r, unsigned seed) {
    r.pid = getpid();
    std::mt19937 rng(seed);
    const int i = rng() % 2;
    const std::string dir = Slot(i, rng() % 2 ? 'm' : 'b', shared_->slot[i]);
    const std::string file = dir + "/f" + std::to_string(rng() % 4);
    const unsigned kinds = 1 + rng() % 7;  // bits: cwd, fd, mapping
    if ((kinds & 1) && chdir(dir.c_str()) == 0) Note(r, MountIdOf(AT_FDCWD, ".", 0));
    if (kinds & 2) {
      int fd = open(file.c_str(), rng() % 2 ? O_RDONLY : O_WRONLY);
      if (fd >= 0) Note(r, MountIdOf(fd, "", AT_EMPTY_PATH));
    }
    if (kinds & 4) {
      int fd = open(file.c_str(), O_RDONLY);
      if (fd >= 0 && mmap(nullptr, 4096, PROT_READ, MAP_SHARED, fd, 0) != MAP_FAILED)
        Note(r, MountIdOf(fd, "", AT_EMPTY_PATH));
      if (fd >= 0) close(fd);
    }
    if (rng() % 4 == 0) ForkHeir(r);
    usleep(10'000 + rng() % 290'000);
    _exit(0);
  }

  // A child of a pinner holds what it inherited; the pinner reaps it (and sets its end) before it exits.
  void ForkHeir(const Record& parent) {
    Record* heir = NewRecord();
    if (!heir) return;
    pid_t pid = fork();
    if (pid == 0) {
      heir->pid = getpid();
      for (int n = 0; n < parent.count; ++n) Note(*heir, parent.mounts[n]);
      usleep(20'000);
      _exit(0);
    }
    if (pid < 0) return;
    int status = 0;
    waitpid(pid, &status, 0);
    heir->end = NowNs();
  }

  LoopFs fs_[2];
  Shared* shared_ = nullptr;
  pid_t churner_ = -1, manager_ = -1;
};

// One (pid, mount) pair a scan named, and the scan's time span.
struct Report {
  pid_t pid;
  std::uint64_t mount;
  std::int64_t scan_start, scan_end;
  std::string scanner;
  std::string object;
};

// Every object in DOC that has a "pinners" array and a mount id (findmnt rows, mkfs-guard reasons at any
// depth).
struct Pinned {
  pid_t pid;
  std::uint64_t mount;
  std::string object;  // the row or reason that named it, for the failure message
};
void CollectPinned(const nlohmann::json& doc, const std::string& id_key, std::vector<Pinned>& out) {
  if (doc.is_array()) {
    for (const nlohmann::json& item : doc) CollectPinned(item, id_key, out);
    return;
  }
  if (!doc.is_object()) return;
  // Only mounts: an "opened-by" reason (the device node held open: this test's own loop device fds) has no
  // id.
  if (doc.contains("pinners") && doc["pinners"].is_array() && doc.contains(id_key)) {
    const std::uint64_t mount = UniqIdOf(nlohmann::json{{"uniq-id", doc.value(id_key, nlohmann::json())}});
    for (const nlohmann::json& p : doc["pinners"])
      if (Text(p, "kind") == "process" || Text(p, "kind") == "thread")
        out.push_back({static_cast<pid_t>(Number(p, "pid")), mount, doc.dump().substr(0, 600)});
  }
  for (const auto& [key, value] : doc.items())
    if (value.is_structured()) CollectPinned(value, id_key, out);
}

// A scanner: the command, whether its output may be empty (findmnt prints nothing when nothing is detached),
// and its exit status when it found nothing to report (0; mkfs-guard wrapping a mkfs: 124 for busy, 0 after
// the dry-run mkfs ran on a device that was free for a moment, with mkfs's output, not JSON). fuser prints
// no JSON and no mount: its pids on stdout, each checked to be a pinner of ours alive during the scan.
struct Scanner {
  std::string name;
  std::vector<std::string> argv;
  bool empty_ok;
  bool wrapping = false;
  bool pid_list = false;
};
// A report's mount for a pid list (fuser): any mount of ours counts.
constexpr std::uint64_t kAnyMount = 0;

class ScanUnderChurn : public testing::Test {
 protected:
  void SetUp() override { ITEST_REQUIRE_ROOT_AND_TOOLS("FINDMNT", "MKFS_GUARD", "FUSER"); }
};

// Given a minute of pinners and mounts coming and going, we should see every scan end in time with valid
// JSON, and every pid named for one of our mounts be one that held that mount while the scan ran.
TEST_F(ScanUnderChurn, EveryScanIsValidAndNamesOnlyRealPinners) {
  const char* seconds_env = std::getenv("STRESS_SECONDS");
  const auto duration = std::chrono::seconds(seconds_env ? std::atoi(seconds_env) : 60);
  Stress stress;
  const std::set<std::string> ours = {stress.fs(0).device(), stress.fs(1).device()};
  std::vector<Scanner> scanners = {
      {"findmnt", {Findmnt(), "--detached", "-J", "-l", "-o", "UNIQ-ID,SOURCE,PID"}, true},
      {"mkfs-guard 0", {MkfsGuard(), "-J", stress.fs(0).device()}, false},
      {"mkfs-guard 1", {MkfsGuard(), "-J", stress.fs(1).device()}, false},
      {"mkfs-guard -- mkfs.ext2 0",
       {MkfsGuard(), "-J", "--", "mkfs.ext2", "-q", "-n", stress.fs(0).device()},
       false,
       true},
      {"fuser -m 0", {Fuser(), "-m", stress.fs(0).device()}, true, false, true},
      {"fuser --detached 1", {Fuser(), "--detached", stress.fs(1).device()}, true, false, true},
  };
  stress.Start();
  const std::set<pid_t> helpers = stress.helpers();
  std::vector<Report> reports;
  int scans = 0, with_pinners = 0;
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const Scanner& scanner : scanners) {
      const std::int64_t start = NowNs();
      RunResult run = RunCommand(scanner.argv, 30s);
      const std::int64_t end = NowNs();
      ++scans;
      ASSERT_FALSE(run.timed_out) << scanner.name << " hung: " << run.Describe();
      if (scanner.wrapping) {
        ASSERT_TRUE(run.exit_code == 124 || run.exit_code == 0) << scanner.name << ": " << run.Describe();
        if (run.exit_code == 0) continue;  // mkfs -n ran and printed what it would do
      } else {
        ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << scanner.name << ": " << run.Describe();
      }
      if (run.out.empty() && scanner.empty_ok && run.exit_code == 1) continue;
      if (scanner.pid_list) {
        const std::vector<pid_t> pids = PidsPrinted(run.out);
        with_pinners += !pids.empty();
        for (pid_t pid : pids)
          if (helpers.count(pid) == 0)
            reports.push_back({pid, kAnyMount, start, end, scanner.name, run.out.substr(0, 600)});
        continue;
      }
      std::optional<nlohmann::json> doc = ParseJson(run.out);
      ASSERT_TRUE(doc.has_value()) << scanner.name << " printed no valid JSON: " << run.Describe();
      std::vector<Pinned> pinned;
      if (scanner.name == "findmnt") {
        for (const std::string& dev : ours)
          for (const nlohmann::json& row : RowsForSource(*doc, dev)) CollectPinned(row, "uniq-id", pinned);
      } else {
        CollectPinned(Reasons(*doc), "uniq-id", pinned);
      }
      with_pinners += !pinned.empty();
      for (Pinned& p : pinned)
        reports.push_back({p.pid, p.mount, start, end, scanner.name, std::move(p.object)});
    }
  }
  stress.Stop();

  const Shared& shared = stress.shared();
  const std::size_t used = std::min(shared.used.load(), kMaxRecords);
  std::multimap<pid_t, const Record*> by_pid;
  for (std::size_t i = 0; i < used; ++i) by_pid.emplace(shared.records[i].pid.load(), &shared.records[i]);
  int false_reports = 0;
  for (const Report& report : reports) {
    bool held = false;
    auto [from, to] = by_pid.equal_range(report.pid);
    for (auto it = from; it != to && !held; ++it) {
      const Record& r = *it->second;
      bool overlaps = r.start.load() <= report.scan_end && r.end.load() >= report.scan_start;
      for (int n = 0; n < r.count && overlaps && !held; ++n)
        held = report.mount == kAnyMount || r.mounts[n] == report.mount;
    }
    if (!held && ++false_reports <= 10)
      ADD_FAILURE() << report.scanner << " named pid " << report.pid << " for mount " << report.mount
                    << ", which it did not hold during the scan, in " << report.object;
  }
  EXPECT_EQ(false_reports, 0);
  // The load really ran: pinners came and went, and scans saw some of them pinning detached mounts.
  EXPECT_GT(used, static_cast<std::size_t>(kPinners));
  EXPECT_GT(with_pinners, 0) << "no scan of " << scans << " saw a pinner: the load did not pin";
  std::printf(
      "stress: %d scans (%d naming pinners), %zu pinner processes, %zu (pid, mount) reports checked\n", scans,
      with_pinners, used, reports.size());
}

}  // namespace
}  // namespace itest

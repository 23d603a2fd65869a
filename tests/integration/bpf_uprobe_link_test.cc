// SPDX-License-Identifier: GPL-2.0-or-later
// A BPF link of uprobe kind on a binary of a loop-mounted ext4 M: the link holds the probed file, so `umount
// M` is busy and, after `umount -l M`, the filesystem lives on. The link is made here with raw bpf(2) (a
// program of two instructions, never run: nothing executes the probed binary): a perf_event link over a
// uprobe (its info gives the path as given, 6.6+) and a uprobe_multi link (its info gives the file's
// d_path, 6.8+). Held by a process, that process is named through the link's fd; pinned in a bpffs (the
// test's own) with no process left, the link is a kernel pinner of its own. Every tool names it, none names
// another device.
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#include <cstring>

#include "probe_scenario.h"
#include "umount_test_util.h"

namespace itest {
namespace {

using ::testing::HasSubstr;

// Newer than Debian 12's uapi (6.1): BPF_TRACE_UPROBE_MULTI (6.6) and link_create's uprobe_multi part.
constexpr __u32 kBpfTraceUprobeMulti = 48;
struct LinkCreateUprobeMulti {
  __u32 prog_fd;
  __u32 target_fd;
  __u32 attach_type;
  __u32 flags;
  __aligned_u64 path;
  __aligned_u64 offsets;
  __aligned_u64 ref_ctr_offsets;
  __aligned_u64 cookies;
  __u32 cnt;
  __u32 multi_flags;
  __u32 pid;
};

constexpr int kLinkFd = 9;  // where the holder keeps its link
constexpr unsigned kOffset = 0x1000;

long Bpf(int cmd, void* attr) {
  return syscall(SYS_bpf, cmd, attr, sizeof(union bpf_attr));
}

// "r0 = 0; exit": a kprobe-type program that does nothing.
int LoadProgram(__u32 expected_attach_type) {
  struct bpf_insn insns[2] = {};
  insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
  insns[1].code = BPF_JMP | BPF_EXIT;
  static const char kLicense[] = "GPL";
  union bpf_attr attr {};
  attr.prog_type = BPF_PROG_TYPE_KPROBE;
  attr.insn_cnt = 2;
  attr.insns = reinterpret_cast<std::uintptr_t>(insns);
  attr.license = reinterpret_cast<std::uintptr_t>(kLicense);
  attr.expected_attach_type = expected_attach_type;
  return static_cast<int>(Bpf(BPF_PROG_LOAD, &attr));
}

int UprobeMultiLink(const std::string& file) {
  const int prog = LoadProgram(kBpfTraceUprobeMulti);
  if (prog < 0) return -1;
  unsigned long offsets[1] = {kOffset};
  union bpf_attr attr {};
  LinkCreateUprobeMulti create{};
  create.prog_fd = static_cast<__u32>(prog);
  create.attach_type = kBpfTraceUprobeMulti;
  create.path = reinterpret_cast<std::uintptr_t>(file.c_str());
  create.offsets = reinterpret_cast<std::uintptr_t>(offsets);
  create.cnt = 1;
  static_assert(sizeof create <= sizeof attr);
  std::memcpy(&attr, &create, sizeof create);
  return static_cast<int>(Bpf(BPF_LINK_CREATE, &attr));
}

// A uprobe perf event (the uprobe PMU: config1 the path, config2 the offset) with the program attached.
int PerfEventLink(const std::string& file) {
  const int prog = LoadProgram(0);
  const unsigned type =
      static_cast<unsigned>(std::atoi(ReadFile("/sys/bus/event_source/devices/uprobe/type").c_str()));
  if (prog < 0 || type == 0) return -1;
  perf_event_attr pe{};
  pe.size = sizeof pe;
  pe.type = type;
  pe.config1 = reinterpret_cast<std::uintptr_t>(file.c_str());
  pe.config2 = kOffset;
  const int event = static_cast<int>(syscall(SYS_perf_event_open, &pe, -1, 0, -1, PERF_FLAG_FD_CLOEXEC));
  if (event < 0) return -1;
  union bpf_attr attr {};
  attr.link_create.prog_fd = static_cast<__u32>(prog);
  attr.link_create.target_fd = static_cast<__u32>(event);
  attr.link_create.attach_type = BPF_PERF_EVENT;
  const int link = static_cast<int>(Bpf(BPF_LINK_CREATE, &attr));
  close(event);  // the link holds the event
  return link;
}

std::uint32_t LinkId(int fd) {
  struct bpf_link_info info {};
  union bpf_attr attr {};
  attr.info.bpf_fd = static_cast<__u32>(fd);
  attr.info.info_len = sizeof info;
  attr.info.info = reinterpret_cast<std::uintptr_t>(&info);
  return Bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) == 0 ? info.id : 0;
}

enum class LinkKind { PerfEvent, UprobeMulti };

// A process ("bpf-uprobe") holding a BPF uprobe link on FILE as fd kLinkFd, pinned at PIN when given; its
// ready value is the link's id.
ChildProcess SpawnLinkHolder(LinkKind kind, const std::string& file, const std::string& pin = "") {
  return ChildProcess::Spawn([&](const ReadyPipe& ready) {
    SetCommOrFail(ready, "bpf-uprobe");
    const int link = kind == LinkKind::PerfEvent ? PerfEventLink(file) : UprobeMultiLink(file);
    if (link < 0 || dup2(link, kLinkFd) != kLinkFd)
      ready.Fail("cannot make a BPF uprobe link: " + std::string(strerror(errno)));
    if (link != kLinkFd) close(link);
    if (!pin.empty()) {
      union bpf_attr attr {};
      attr.pathname = reinterpret_cast<std::uintptr_t>(pin.c_str());
      attr.bpf_fd = kLinkFd;
      if (Bpf(BPF_OBJ_PIN, &attr) != 0) ready.Fail("cannot pin the link in " + pin);
    }
    ready.Signal(LinkId(kLinkFd));
    PauseForever();
  });
}

// A bpffs mounted in the test's namespace; the pins in it removed on destruction.
class Bpffs {
 public:
  explicit Bpffs(const std::string& dir) : dir_(dir), mount_("bpf", dir, "bpf") {}
  ~Bpffs() { RunCommand({"find", dir_, "-mindepth", "1", "-delete"}); }
  Bpffs(const Bpffs&) = delete;
  Bpffs& operator=(const Bpffs&) = delete;
  std::string Pin(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
  Mount mount_;
};

class BpfUprobeLinkOnM : public ::testing::Test {
 protected:
  void SetUp() override {
    ITEST_REQUIRE_ROOT_AND_TOOLS("UMOUNT", "FINDMNT", "FUSER", "MKFS_GUARD");
    EnterPrivateMountNamespace();
    fs_.emplace("ext4");
    CopyExecutable("/bin/true", fs_->File("target"));
  }
  std::string How(const std::string& kind, std::int64_t id) const {
    return "bpf link " + std::to_string(id) + " fd " + std::to_string(kLinkFd) + " (" + kind + " " +
           fs_->File("target") + ")";
  }
  // Everything but umount after umount -l: the filesystem lives on, and each tool names WANT.
  void ExpectDetachedViewsName(const std::string& want, const std::string& json_kind) {
    const std::string dev = fs_->device();
    DetachedListing listing = ListDetached();
    std::vector<nlohmann::json> rows = listing.RowsFor(dev);
    ASSERT_EQ(rows.size(), 1u) << listing.run.Describe();
    EXPECT_EQ(PinnersOf(rows[0]), want) << listing.run.Describe();
    ExpectNoGuess(listing.run.out);
    RunResult guard = RunCommand({MkfsGuard(), dev});
    EXPECT_EQ(guard.exit_code, 1) << guard.Describe();
    EXPECT_THAT(FirstLine(guard.out), HasSubstr(want)) << guard.Describe();
    ExpectNoGuess(guard.out);
    ExpectNoOtherLoopDevice(guard.out, dev);
    RunResult json = RunCommand({MkfsGuard(), "-J", dev});
    std::optional<nlohmann::json> doc = ParseJson(json.out);
    ASSERT_TRUE(doc.has_value()) << json.Describe();
    std::vector<nlohmann::json> pinners = GuardPinnersOfKind(*doc, json_kind);
    // The test itself holds the loop device open (a reader): only the link's holder is asked about.
    std::erase_if(pinners, [](const nlohmann::json& p) { return Text(p["pins"][0], "kind") != "bpf-link"; });
    ASSERT_EQ(pinners.size(), 1u) << doc->dump(2);
    EXPECT_EQ(pinners[0]["certain"], true);
    EXPECT_EQ(Text(pinners[0]["pins"][0], "kind"), "bpf-link");
    EXPECT_EQ(Text(pinners[0]["pins"][0], "path"), fs_->File("target"));
    ExpectNoOtherLoopDevice(json.out, dev);
  }

  std::optional<LoopFs> fs_;
};

// Given a process holding a perf_event uprobe link on M's binary, umount M names that process by the link;
// after umount -l every tool does, and fuser --detached -v shows how; its end ends the filesystem.
TEST_F(BpfUprobeLinkOnM, APerfEventLinkHeldByAProcessIsNamedThroughItsFd) {
  ChildProcess holder = SpawnLinkHolder(LinkKind::PerfEvent, fs_->File("target"));
  const std::string mnt = fs_->mountpoint(), dev = fs_->device();
  const std::string entry = PinEntry(holder.pid(), "bpf-uprobe", How("uprobe", holder.ready_value()));
  RunResult busy = RunCommand({Umount(), mnt});
  EXPECT_EQ(busy.exit_code, 32) << busy.Describe();
  EXPECT_EQ(Lines(busy.err), (std::vector<std::string>{"umount: " + mnt + ": target is busy.",
                                                       kIndent + mnt + " is pinned by " + entry}))
      << busy.Describe();

  RunResult lazy = RunCommand({Umount(), "-l", mnt});
  EXPECT_EQ(lazy.exit_code, 0) << lazy.Describe();
  EXPECT_THAT(FirstLine(lazy.err), HasSubstr("lazily unmounted, but its filesystem lives on"))
      << lazy.Describe();
  EXPECT_THAT(lazy.err, HasSubstr(entry)) << lazy.Describe();
  ExpectDetachedViewsName(entry, "process");
  RunResult fuser = RunCommand({Fuser(), "--detached", "-v", dev});
  EXPECT_THAT(fuser.err, HasSubstr(" f.... bpf-uprobe: " + How("uprobe", holder.ready_value())))
      << fuser.Describe();

  holder.Kill();
  EXPECT_TRUE(WaitUntil([&] { return DeviceIsFree(dev); }, 10s)) << "the filesystem outlived its link";
}

// Given a process holding a uprobe_multi link on M's binary, umount M names that process by the link.
TEST_F(BpfUprobeLinkOnM, AUprobeMultiLinkHeldByAProcessMakesTheMountBusy) {
  ChildProcess holder = SpawnLinkHolder(LinkKind::UprobeMulti, fs_->File("target"));
  const std::string mnt = fs_->mountpoint();
  RunResult busy = RunCommand({Umount(), mnt});
  EXPECT_EQ(busy.exit_code, 32) << busy.Describe();
  EXPECT_EQ(Lines(busy.err),
            (std::vector<std::string>{
                "umount: " + mnt + ": target is busy.",
                kIndent + mnt + " is pinned by " +
                    PinEntry(holder.pid(), "bpf-uprobe", How("uprobe_multi", holder.ready_value()))}))
      << busy.Describe();
  RunResult fuser = RunCommand({Fuser(), "-vm", fs_->device()});
  EXPECT_THAT(fuser.err, HasSubstr(" f.... bpf-uprobe")) << fuser.Describe();
}

// Given the same uprobe_multi link after umount -l, the kernel's d_path of its file starts at the detached
// mount's root ("/target"): it leads nowhere, so the link's holder is only named as what MAY hold the
// filesystem, never as certain.
TEST_F(BpfUprobeLinkOnM, AUprobeMultiLinkOnALazilyUnmountedFilesystemIsOnlyASuspect) {
  ChildProcess holder = SpawnLinkHolder(LinkKind::UprobeMulti, fs_->File("target"));
  const std::string dev = fs_->device();
  fs_->mount().Detach();
  RunResult json = RunCommand({MkfsGuard(), "-J", dev});
  std::optional<nlohmann::json> doc = ParseJson(json.out);
  ASSERT_TRUE(doc.has_value()) << json.Describe();
  bool suspected = false;
  for (const nlohmann::json& reason : Reasons(*doc)) {
    for (const nlohmann::json& pinner : Pinners(reason))
      EXPECT_NE(Number(pinner, "pid"), holder.pid()) << "named as certain: " << doc->dump(2);
    if (!reason.contains("suspects")) continue;
    for (const nlohmann::json& suspect : reason["suspects"]) {
      if (Number(suspect, "pid") != holder.pid()) continue;
      suspected = true;
      EXPECT_EQ(suspect["certain"], false);
      EXPECT_EQ(Text(suspect["pins"][0], "path"), "/target");
    }
  }
  EXPECT_TRUE(suspected) << doc->dump(2);
  ExpectNoOtherLoopDevice(json.out, dev);
}

// Given a perf_event uprobe link pinned in a bpffs and no process left holding it, the link itself keeps the
// lazily unmounted filesystem: every tool names it as a kernel pinner, umount says how to let it go, and
// removing its pin ends the filesystem.
TEST_F(BpfUprobeLinkOnM, ALinkPinnedInABpffsIsAKernelPinnerOfItsOwn) {
  Bpffs bpffs(fs_->dir().MakeDir("bpffs"));
  ChildProcess holder = SpawnLinkHolder(LinkKind::PerfEvent, fs_->File("target"), bpffs.Pin("link"));
  const std::string id = std::to_string(holder.ready_value());
  holder.Kill();
  const std::string mnt = fs_->mountpoint(), dev = fs_->device();
  const std::string pinner = "BPF link " + id + " (uprobe " + fs_->File("target") + "; no process holds it";
  RunResult lazy = RunCommand({Umount(), "-l", mnt});
  EXPECT_EQ(lazy.exit_code, 0) << lazy.Describe();
  EXPECT_EQ(Lines(lazy.err),
            (std::vector<std::string>{
                "umount: " + mnt + ": lazily unmounted, but its filesystem lives on",
                kIndent + "its filesystem is held by " + pinner + "; found by the former mount point)",
                kIndent + "remove the pin of BPF link " + id + " first (bpftool -f link show id " + id +
                    " names it), or end what holds it",
                kIndent + "findmnt --detached shows it; mkfs-guard --wait " + fs_->device() +
                    " waits for its end"}))
      << lazy.Describe();
  ExpectDetachedViewsName(pinner + "; found by the former mount point)", "bpf-link");
  RunResult fuser = RunCommand({Fuser(), "--detached", "-v", dev});
  EXPECT_THAT(fuser.err, HasSubstr(" bpf   link " + id + " (uprobe " + fs_->File("target")))
      << fuser.Describe();

  ASSERT_EQ(unlink(bpffs.Pin("link").c_str()), 0);
  EXPECT_TRUE(WaitUntil([&] { return DeviceIsFree(dev); }, 10s)) << "the filesystem outlived its link";
}

}  // namespace
}  // namespace itest

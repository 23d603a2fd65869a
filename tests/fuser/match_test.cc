// SPDX-License-Identifier: GPL-2.0-or-later
// Queries matched against hand-built snapshots: inodes for files, mounts and superblocks for -m (btrfs
// subvolumes included), kernel holders in psmisc's order, --detached and its notes.
#include "match.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "detached.h"

namespace fuser {
namespace {

using detach::DeviceNumber;
using detach::Mount;
using detach::Pin;
using detach::PinKind;

const DeviceNumber kSockfs{0, 8};

Mount MakeMount(detach::MountKey key, DeviceNumber dev, const std::string& target,
                const std::string& root = "/") {
  Mount m;
  m.key = m.unique_id = key;
  m.old_id = static_cast<std::uint32_t>(key % 1000);
  m.dev = dev;
  m.target = target;
  m.root = root;
  m.fstype = "ext2";
  m.source = "/dev/loop0";
  return m;
}

Pin TaskPin(PinKind kind, pid_t pid, detach::MountKey mount, DeviceNumber dev, std::uint64_t ino,
            int fd = -1) {
  Pin p;
  p.kind = kind;
  p.pid = pid;
  p.mount = mount;
  p.dev = dev;
  p.ino = ino;
  p.fd = fd;
  return p;
}

// A snapshot, our mount table and a context over them; the pins are added by each test.
struct World {
  detach::Snapshot snap;
  std::vector<Mount> own_list;
  detach::ScanOptions scan;

  World() { snap.id_kind = detach::IdKind::Unique; }
  void AddMount(const Mount& m, bool ours = true) {
    snap.mounts[m.key] = m;
    if (ours && m.attached) own_list.push_back(m);
  }
  std::vector<Report> Match(const std::vector<Query>& queries, std::vector<std::string>* notes = nullptr) {
    snap.build_superblocks();
    own = OwnMounts(own_list);
    MatchContext ctx{snap, own, scan, kSockfs, false, {}};
    std::vector<std::string> ignored;
    return match_queries(queries, ctx, notes ? *notes : ignored);
  }
  OwnMounts own;
};

Query FileQuery(const std::string& path, DeviceNumber dev, std::uint64_t ino, detach::MountKey mount,
                mode_t mode = S_IFREG) {
  Query q;
  q.kind = QueryKind::File;
  q.label = q.path = path;
  q.stat_ok = true;
  q.facts.dev = dev;
  q.facts.ino = ino;
  q.facts.mode = mode;
  q.facts.mnt_id = mount;
  q.facts.mnt_id_unique = true;
  q.own_mount = mount;
  return q;
}

Query FsQuery(const std::string& path, DeviceNumber dev, detach::MountKey mount) {
  Query q = FileQuery(path, dev, 2, mount, S_IFDIR);
  q.kind = QueryKind::Filesystem;
  return q;
}

Query BlockQuery(const std::string& path, DeviceNumber rdev) {
  Query q = FileQuery(path, DeviceNumber{0, 5}, 99, 0, S_IFBLK);
  q.kind = QueryKind::Filesystem;
  q.facts.rdev = rdev;
  return q;
}

std::vector<pid_t> Pids(const Report& r) {
  std::vector<pid_t> out;
  for (const ProcessUse& u : r.processes) out.push_back(u.pid);
  return out;
}

std::vector<std::string> Kernel(const Report& r) {
  std::vector<std::string> out;
  for (const KernelUse& k : r.kernel)
    out.push_back(std::to_string(static_cast<int>(k.kind)) + " " + k.command);
  return out;
}

// Given pins of a file, of a range of fds starting on it, and of a socket bound at it, we should match the
// file's own pins and the socket's holder, not the range (a range keeps its first fd's inode only).
TEST(Match, FileByInode) {
  World w;
  const DeviceNumber dev{7, 0};
  w.AddMount(MakeMount(2147483700, dev, "/mnt"));
  w.snap.pins.push_back(TaskPin(PinKind::Fd, 10, 2147483700, dev, 12, 3));
  Pin range = TaskPin(PinKind::Fd, 11, 2147483700, dev, 12, 3);
  range.fd_last = 9;
  w.snap.pins.push_back(range);
  w.snap.pins.push_back(TaskPin(PinKind::Cwd, 12, 2147483700, dev, 12));
  w.snap.pins.push_back(TaskPin(PinKind::Fd, 13, 0, kSockfs, 4444, 5));
  w.snap.pins.push_back(TaskPin(PinKind::Fd, 14, 2147483700, dev, 13, 3));
  Query q = FileQuery("/mnt/f", dev, 12, 2147483700);
  q.socket_inodes.insert(4444);
  std::vector<Report> r = w.Match({q});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(Pids(r[0]), (std::vector<pid_t>{10, 12, 13}));
  EXPECT_EQ(r[0].processes[1].access, unsigned{kCwd});
  EXPECT_EQ(r[0].processes[2].access, unsigned{kFile | kFileWrite});  // a socket is always read and write
}

// Given a filesystem mounted at /mnt, bind-mounted at /b and lazily detached from a third place, we should
// list the users of every one of its mounts for -m on the mount point or the device, and no one else's; the
// device adds whoever holds the device node open.
TEST(Match, FilesystemBySuperblockNotByMount) {
  World w;
  const DeviceNumber dev{7, 0}, other{8, 1};
  w.AddMount(MakeMount(2147483710, dev, "/mnt"));
  w.AddMount(MakeMount(2147483711, dev, "/b", "/sub"));
  Mount detached = MakeMount(2147483712, dev, "");
  detached.attached = false;
  w.AddMount(detached, false);
  Mount root = MakeMount(2147483720, other, "/");
  root.source = "/dev/sda1";
  w.AddMount(root);
  w.snap.pins.push_back(TaskPin(PinKind::Cwd, 1, 2147483711, dev, 30));
  w.snap.pins.push_back(TaskPin(PinKind::Fd, 2, 2147483712, dev, 31, 4));
  w.snap.pins.push_back(TaskPin(PinKind::Fd, 3, 2147483720, other, 32, 4));
  Pin node = TaskPin(PinKind::Fd, 4, 2147483720, DeviceNumber{0, 5}, 99, 7);
  node.rdev = dev;
  w.snap.pins.push_back(node);
  std::vector<Report> r = w.Match({FsQuery("/mnt", dev, 2147483710), BlockQuery("/dev/loop0", dev)});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(Pids(r[0]), (std::vector<pid_t>{1, 2}));
  EXPECT_EQ(Kernel(r[0]), (std::vector<std::string>{"1 /mnt"}));  // the first of our mounts of it
  EXPECT_EQ(Pids(r[1]), (std::vector<pid_t>{1, 2, 4}));
}

// Given a btrfs filesystem mounted twice (the top subvolume at /top, subvolume "other" at /sv) and processes
// in a nested subvolume under /top, in /top itself, in /sv, and in "other" through /top, we should list for
// -m /top the users through /top (nested subvolumes included), for -m /sv those of subvolume "other" through
// any mount (as psmisc, by st_dev), and for the device all of them.
TEST(Match, BtrfsSubvolumes) {
  World w;
  const DeviceNumber sb{0, 41}, top_dev{0, 42}, nested_dev{0, 43}, other_dev{0, 44};
  Mount top = MakeMount(2147483730, sb, "/top");
  top.fstype = "btrfs";
  top.fs_options = "rw,space_cache=v2,subvolid=5,subvol=/";
  Mount sv = MakeMount(2147483731, sb, "/sv", "/other");
  sv.fstype = "btrfs";
  sv.fs_options = "rw,space_cache=v2,subvolid=257,subvol=/other";
  w.AddMount(top);
  w.AddMount(sv);
  w.snap.pins.push_back(TaskPin(PinKind::Cwd, 1, top.key, nested_dev, 256));  // /top/sub/d
  w.snap.pins.push_back(TaskPin(PinKind::Cwd, 2, sv.key, other_dev, 256));    // /sv
  w.snap.pins.push_back(TaskPin(PinKind::Cwd, 3, top.key, top_dev, 256));     // /top
  w.snap.pins.push_back(TaskPin(PinKind::Cwd, 4, top.key, other_dev, 256));   // /top/other
  std::vector<Report> r = w.Match({FsQuery("/top", top_dev, top.key), FsQuery("/sv", other_dev, sv.key),
                                   BlockQuery("/dev/loop0", DeviceNumber{7, 0})});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(Pids(r[0]), (std::vector<pid_t>{1, 3, 4}));
  EXPECT_EQ(Kernel(r[0]), (std::vector<std::string>{"1 /top"}));
  EXPECT_EQ(Pids(r[1]), (std::vector<pid_t>{2, 4}));
  EXPECT_EQ(Kernel(r[1]), (std::vector<std::string>{"1 /sv"}));
  EXPECT_EQ(Pids(r[2]), (std::vector<pid_t>{1, 2, 3, 4}));  // by its source, /dev/loop0
}

// Given a swap file and a loop device backed by a file on the filesystem, we should show them as kernel
// holders of -m, psmisc's swap before its mount line, our loop after.
TEST(Match, KernelHoldersInPsmiscOrder) {
  World w;
  const DeviceNumber dev{7, 0};
  w.AddMount(MakeMount(2147483740, dev, "/mnt"));
  Pin swap;
  swap.kind = PinKind::SwapFile;
  swap.dev = dev;
  swap.holder = "/mnt/swap";
  Pin loop;
  loop.kind = PinKind::LoopBacking;
  loop.dev = dev;
  loop.ino = 77;
  loop.holder = "/dev/loop5";
  w.snap.pins.push_back(loop);
  w.snap.pins.push_back(swap);
  std::vector<Report> r =
      w.Match({FsQuery("/mnt", dev, 2147483740), FileQuery("/mnt/img", dev, 77, 2147483740)});
  EXPECT_EQ(Kernel(r[0]), (std::vector<std::string>{"0 /mnt/swap", "1 /mnt", "3 /dev/loop5"}));
  EXPECT_EQ(Kernel(r[1]), (std::vector<std::string>{"3 /dev/loop5"}));
}

// Given a directory that is the source of a bind mount, we should show that mount as its kernel holder, from
// the mount table alone (psmisc stats every mount point for it).
TEST(Match, BindSourceHasItsMountLine) {
  World w;
  const DeviceNumber dev{7, 0};
  w.AddMount(MakeMount(2147483750, dev, "/mnt"));
  w.AddMount(MakeMount(2147483751, dev, "/b", "/sub"));
  std::vector<Report> r =
      w.Match({FileQuery("/mnt/sub", dev, 12, 2147483750), FileQuery("/mnt", dev, 2, 2147483750),
               FileQuery("/mnt/other", dev, 13, 2147483750)});
  EXPECT_EQ(Kernel(r[0]), (std::vector<std::string>{"1 /b"}));
  EXPECT_EQ(Kernel(r[1]), (std::vector<std::string>{"1 /mnt"}));
  EXPECT_TRUE(r[2].kernel.empty());
}

// Given two detached mounts, one of which the journal knows the mount point of, we should list each with its
// pinners for --detached, and only the named one by device or former mount point; each with its words.
TEST(Match, Detached) {
  World w;
  const DeviceNumber a{7, 0}, b{7, 1};
  Mount ma = MakeMount(2147483760, a, "/was/here");
  ma.attached = false;
  Mount mb = MakeMount(2147483761, b, "");
  mb.attached = false;
  mb.source = "/dev/loop1";
  w.AddMount(ma, false);
  w.AddMount(mb, false);
  w.snap.pins.push_back(TaskPin(PinKind::Cwd, 5, ma.key, a, 2));
  Pin fd = TaskPin(PinKind::Fd, 6, mb.key, b, 3, 7);
  fd.access = detach::Access::Write;
  fd.detailed = true;
  w.snap.pins.push_back(fd);
  Query all;
  all.kind = QueryKind::Detached;
  all.all = true;
  Query by_target;
  by_target.kind = QueryKind::Detached;
  by_target.arg.text = "/was/here/";
  by_target.label = "/was/here";
  by_target.path = "/was/here";
  Query by_device = BlockQuery("/dev/loop1", b);
  by_device.kind = QueryKind::Detached;
  std::vector<Report> r = w.Match({all, by_target, by_device});
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].label, "/dev/loop0");
  EXPECT_EQ(Pids(r[0]), (std::vector<pid_t>{5}));
  EXPECT_EQ(Kernel(r[0]), (std::vector<std::string>{"4 /was/here (ext2, detached)"}));
  EXPECT_EQ(r[0].processes[0].how, "cwd");
  EXPECT_TRUE(r[0].detached);
  EXPECT_EQ(r[1].label, "/dev/loop1");
  EXPECT_EQ(Kernel(r[1]), (std::vector<std::string>{"4 (ext2, detached; mount point not recorded)"}));
  EXPECT_EQ(r[1].processes[0].how, "fd 7 (write)");
  EXPECT_EQ(r[1].processes[0].access, unsigned{kFile | kFileWrite});
  EXPECT_EQ(Pids(r[2]), (std::vector<pid_t>{5}));
  EXPECT_EQ(Kernel(r[2]), (std::vector<std::string>{"4 /was/here (ext2 /dev/loop0, detached)"}));
  EXPECT_EQ(Pids(r[3]), (std::vector<pid_t>{6}));
}

// Given -m on a device whose filesystem is only detached, and -m on the path a detached filesystem was
// mounted at, we should say so.
TEST(Match, NotesForDetachedFilesystems) {
  World w;
  const DeviceNumber dev{7, 0}, root_dev{8, 1};
  Mount gone = MakeMount(2147483770, dev, "/mnt/x");
  gone.attached = false;
  w.AddMount(gone, false);
  Mount root = MakeMount(2147483771, root_dev, "/");
  root.source = "/dev/sda1";
  w.AddMount(root);
  w.snap.pins.push_back(TaskPin(PinKind::Cwd, 5, gone.key, dev, 2));
  std::vector<std::string> notes;
  std::vector<Report> r =
      w.Match({BlockQuery("/dev/loop0", dev), FsQuery("/mnt/x", root_dev, root.key)}, &notes);
  EXPECT_EQ(Pids(r[0]), (std::vector<pid_t>{5}));
  EXPECT_TRUE(Pids(r[1]).empty());
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0],
            "/dev/loop0: its filesystem is mounted nowhere: it was lazily unmounted from /mnt/x and is still "
            "in use "
            "(fuser --detached -v /dev/loop0 tells how)");
  EXPECT_EQ(notes[1].rfind("/mnt/x: the ext2 /dev/loop0 once mounted here was lazily unmounted", 0), 0u)
      << notes[1];
}

// Given a scan keyed by old ids (a refused namespace walk falls back to mountinfo) and our table by unique
// ids, we should still find the name's filesystem and its mount line.
TEST(Match, SnapshotOnOldIds) {
  World w;
  w.snap.id_kind = detach::IdKind::Old;
  const DeviceNumber dev{7, 0};
  Mount ours = MakeMount(2147483780, dev, "/mnt");
  w.own_list.push_back(ours);
  Mount listed = ours;
  listed.key = ours.old_id;
  w.snap.mounts[listed.key] = listed;
  w.snap.pins.push_back(TaskPin(PinKind::Cwd, 9, listed.key, dev, 2));
  std::vector<Report> r = w.Match({FsQuery("/mnt", dev, ours.key)});
  EXPECT_EQ(Pids(r[0]), (std::vector<pid_t>{9}));
  EXPECT_EQ(Kernel(r[0]), (std::vector<std::string>{"1 /mnt"}));
}

TEST(OwnMounts, PathsWithoutLookups) {
  EXPECT_EQ(lexical_absolute("/a//b/./c/../d/"), "/a/b/d");
  EXPECT_EQ(lexical_absolute("/.."), "/");
  EXPECT_TRUE(is_under("/mnt/x", "/mnt"));
  EXPECT_TRUE(is_under("/mnt", "/mnt"));
  EXPECT_FALSE(is_under("/mnt2", "/mnt"));
  EXPECT_TRUE(is_under("/anything", "/"));
  Mount bind = MakeMount(1, DeviceNumber{7, 0}, "/b", "/sub");
  EXPECT_EQ(path_in_fs(bind, "/b"), "/sub");
  EXPECT_EQ(path_in_fs(bind, "/b/f"), "/sub/f");
  Mount root = MakeMount(2, DeviceNumber{8, 1}, "/");
  EXPECT_EQ(path_in_fs(root, "/etc"), "/etc");
  OwnMounts own({root, MakeMount(3, DeviceNumber{7, 0}, "/mnt"), MakeMount(4, DeviceNumber{7, 1}, "/mnt")});
  EXPECT_EQ(own.containing("/mnt/x")->key, 4u);  // the later of two at one place is on top
  EXPECT_EQ(own.containing("/mntx")->key, 2u);
  EXPECT_TRUE(own.is_mount_point("/mnt"));
}

}  // namespace
}  // namespace fuser

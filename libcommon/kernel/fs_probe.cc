// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/fs_probe.h"

#include <blkid.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <memory>

#include "base/unique_fd.h"
#include "kernel/bounded.h"
#include "kernel/procfs.h"
#include "kernel/uapi.h"

namespace detach {

namespace {

struct MagicName {
  std::uint64_t magic;
  const char* name;
};

constexpr std::array kMagicNames = {
    MagicName{0xEF53, "ext4"},          MagicName{0x58465342, "xfs"},    MagicName{0x9123683E, "btrfs"},
    MagicName{0x01021994, "tmpfs"},     MagicName{0x65735546, "fuse"},   MagicName{0x6969, "nfs"},
    MagicName{0x794c7630, "overlay"},   MagicName{0x4d44, "vfat"},       MagicName{0x73717368, "squashfs"},
    MagicName{0x858458f6, "ramfs"},     MagicName{0xF2F52010, "f2fs"},   MagicName{0x2011BAB0, "exfat"},
    MagicName{0x7366746e, "ntfs3"},     MagicName{0x9660, "iso9660"},    MagicName{0xE0F5E1E2, "erofs"},
    MagicName{0x958458f6, "hugetlbfs"}, MagicName{0x01021997, "9p"},     MagicName{0x00c36400, "ceph"},
    MagicName{0xFF534D42, "cifs"},      MagicName{0xFE534D42, "smb2"},   MagicName{0x2fc12fc1, "zfs"},
    MagicName{0x9fa0, "proc"},          MagicName{0x62656572, "sysfs"},  MagicName{0x63677270, "cgroup2"},
    MagicName{0x0187, "autofs"},        MagicName{0x19800202, "mqueue"}, MagicName{0xcafe4a11, "bpf"},
};

constexpr std::uint64_t kBtrfsMagic = 0x9123683E;

// What the bounded child sends back: plain bytes, no pointers.
struct FsProbeResult {
  std::uint64_t magic;
  std::uint64_t flags;
  bool has_fsid;
  unsigned char fsid[BTRFS_FSID_SIZE];
};

std::string fsid_text(const unsigned char* fsid) {
  char text[37];
  (void)std::snprintf(text, sizeof text,
                      "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", fsid[0],
                      fsid[1], fsid[2], fsid[3], fsid[4], fsid[5], fsid[6], fsid[7], fsid[8], fsid[9],
                      fsid[10], fsid[11], fsid[12], fsid[13], fsid[14], fsid[15]);
  return text;
}

Result<FsProbeResult> probe_in_child(const std::string& path) {
  // O_PATH: a pin may be a device node (a watchdog, a tape), and opening one for real acts on the device.
  UniqueFd fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
  if (!fd) return fail_errno("open", path);
  struct statfs sfs {};
  if (::fstatfs(fd.get(), &sfs) != 0) return fail_errno("fstatfs", path);
  FsProbeResult out{};
  out.magic = static_cast<std::uint64_t>(sfs.f_type);
  out.flags = static_cast<std::uint64_t>(sfs.f_flags);
  struct stat st {};
  // The btrfs ioctl needs a real open: only of a directory or a regular file, which opening cannot disturb
  // (O_NONBLOCK, O_NOCTTY for the rest of the way).
  if (out.magic == kBtrfsMagic && ::fstat(fd.get(), &st) == 0 &&
      (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
    UniqueFd file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    struct btrfs_ioctl_fs_info_args info {};
    if (file && ::ioctl(file.get(), BTRFS_IOC_FS_INFO, &info) == 0) {
      out.has_fsid = true;
      std::copy(std::begin(info.fsid), std::end(info.fsid), out.fsid);
    }
  }
  return out;
}

struct ProbeDeleter {
  void operator()(blkid_probe pr) const { blkid_free_probe(pr); }
};

}  // namespace

std::string fs_name_from_magic(std::uint64_t magic) {
  for (const MagicName& entry : kMagicNames)
    if (entry.magic == magic) return entry.name;
  return {};
}

std::string block_device_path(const std::string& sys_root, DeviceNumber dev) {
  if (dev.anonymous()) return {};
  auto link = read_link(sys_root + "/dev/block/" + dev.str());
  if (!link) return {};
  auto slash = link->rfind('/');
  return "/dev/" + (slash == std::string::npos ? *link : link->substr(slash + 1));
}

namespace {

Result<std::string> probe_device_fstype_here(const std::string& device) {
  std::unique_ptr<blkid_struct_probe, ProbeDeleter> probe(blkid_new_probe_from_filename(device.c_str()));
  if (!probe) return fail_errno("blkid probe", device);
  blkid_probe_enable_superblocks(probe.get(), 1);
  blkid_probe_set_superblocks_flags(probe.get(), BLKID_SUBLKS_TYPE);
  if (blkid_do_safeprobe(probe.get()) != 0) return fail(0, "blkid probe", device, "no filesystem found");
  const char* type = nullptr;
  if (blkid_probe_lookup_value(probe.get(), "TYPE", &type, nullptr) != 0 || type == nullptr)
    return fail(0, "blkid probe", device, "no filesystem type");
  return std::string(type);
}

}  // namespace

Result<std::string> probe_device_fstype(const std::string& device, std::chrono::milliseconds limit) {
  return run_bounded([&device] { return probe_device_fstype_here(device); }, limit);
}

bool is_fuse_connection(const std::string& sys_root, DeviceNumber dev) {
  if (!dev.anonymous()) return false;
  struct stat st {};
  return ::stat((sys_root + "/fs/fuse/connections/" + std::to_string(dev.minor)).c_str(), &st) == 0;
}

std::string vfs_options_from_statfs_flags(std::uint64_t flags) {
  // mountinfo's show_mnt_opts() order; relatime is the default atime mode and is shown as such.
  struct Bit {
    std::uint64_t flag;
    const char* name;
  };
  static constexpr Bit kBits[] = {{ST_NOSUID, "nosuid"},
                                  {ST_NODEV, "nodev"},
                                  {ST_NOEXEC, "noexec"},
                                  {ST_NOATIME, "noatime"},
                                  {ST_NODIRATIME, "nodiratime"},
                                  {ST_RELATIME, "relatime"},
                                  {uapi::kStNoSymfollow, "nosymfollow"}};
  std::string out = flags & ST_RDONLY ? "ro" : "rw";
  for (const Bit& bit : kBits)
    if (flags & bit.flag) out += std::string(",") + bit.name;
  return out;
}

Result<FsIdentity> probe_fs_bounded(const std::string& path, const std::string& sys_root,
                                    std::chrono::milliseconds limit) {
  auto probed = run_bounded_value<FsProbeResult>([&path] { return probe_in_child(path); }, limit);
  if (!probed) return tl::unexpected(probed.error());
  FsIdentity id;
  id.fstype = fs_name_from_magic(probed->magic);
  id.read_only = probed->flags & ST_RDONLY;
  id.vfs_options = vfs_options_from_statfs_flags(probed->flags);
  if (probed->has_fsid) {
    auto dir = open_dir(sys_root + "/fs/btrfs/" + fsid_text(probed->fsid) + "/devices");
    if (dir) {
      auto names = list_entries_at(dir->get(), ".");
      if (names && !names->empty()) id.device = "/dev/" + names->front();
    }
  }
  return id;
}

}  // namespace detach

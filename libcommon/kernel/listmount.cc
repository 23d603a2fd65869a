// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/listmount.h"

#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>

#include "kernel/fs_probe.h"
#include "kernel/uapi.h"

namespace detach {

namespace {

uapi::MntIdReq make_request(std::uint64_t mnt_id, std::uint64_t param, std::uint64_t ns_id) {
  uapi::MntIdReq req{};
  req.size = ns_id ? uapi::kMntIdReqSizeVer1 : uapi::kMntIdReqSizeVer0;
  req.mnt_id = mnt_id;
  req.param = param;
  req.mnt_ns_id = ns_id;
  return req;
}

std::string field(const uapi::Statmount& sm, __u64 flag, __u32 offset) {
  if (!(sm.mask & flag)) return {};
  return std::string(sm.str + offset);
}

// mountinfo's per-mount options, from MOUNT_ATTR_* bits: as the statfs flags they stand for.
std::string vfs_options(__u64 attr) {
  std::uint64_t flags = 0;
  if (attr & MOUNT_ATTR_RDONLY) flags |= ST_RDONLY;
  if (attr & MOUNT_ATTR_NOSUID) flags |= ST_NOSUID;
  if (attr & MOUNT_ATTR_NODEV) flags |= ST_NODEV;
  if (attr & MOUNT_ATTR_NOEXEC) flags |= ST_NOEXEC;
  if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_RELATIME) flags |= ST_RELATIME;
  if ((attr & MOUNT_ATTR__ATIME) == MOUNT_ATTR_NOATIME) flags |= ST_NOATIME;  // strictatime shows nothing
  if (attr & MOUNT_ATTR_NODIRATIME) flags |= ST_NODIRATIME;
  if (attr & MOUNT_ATTR_NOSYMFOLLOW) flags |= uapi::kStNoSymfollow;
  return vfs_options_from_statfs_flags(flags);
}

}  // namespace

Result<std::vector<std::uint64_t>> list_mount_ids(std::uint64_t ns_id) {
  std::vector<std::uint64_t> ids;
  std::uint64_t last = 0;
  constexpr std::size_t kBatch = 4096;
  std::vector<std::uint64_t> batch(kBatch);
  for (;;) {
    // Pagination: param is the last id already seen.
    uapi::MntIdReq req = make_request(uapi::kLsmtRoot, last, ns_id);
    long n = ::syscall(uapi::kSysListmount, &req, batch.data(), batch.size(), 0);
    if (n < 0) return fail_errno("listmount", "mnt_ns " + std::to_string(ns_id));
    ids.insert(ids.end(), batch.begin(), batch.begin() + n);
    if (static_cast<std::size_t>(n) < kBatch) break;
    last = batch[n - 1];
  }
  return ids;
}

Result<Mount> stat_mount(std::uint64_t mnt_id, std::uint64_t ns_id) {
  constexpr __u64 kWant = uapi::kStatmountSbBasic | uapi::kStatmountMntBasic | uapi::kStatmountMntRoot |
                          uapi::kStatmountMntPoint | uapi::kStatmountFsType | uapi::kStatmountMntNsId |
                          uapi::kStatmountMntOpts | uapi::kStatmountSbSource | uapi::kStatmountFsSubtype;
  std::size_t size = 16384;
  for (int attempt = 0; attempt < 6; ++attempt, size *= 4) {
    auto buf = std::make_unique<char[]>(size);
    auto* sm = reinterpret_cast<uapi::Statmount*>(buf.get());
    uapi::MntIdReq req = make_request(mnt_id, kWant, ns_id);
    if (::syscall(uapi::kSysStatmount, &req, sm, size, 0) != 0) {
      if (errno == EOVERFLOW) continue;  // strings did not fit: retry with a larger buffer
      return fail_errno("statmount", "mount " + std::to_string(mnt_id));
    }
    Mount m;
    m.unique_id = sm->mnt_id;
    m.key = sm->mnt_id;
    m.old_id = sm->mnt_id_old;
    m.parent = sm->mnt_parent_id;
    m.dev = DeviceNumber{sm->sb_dev_major, sm->sb_dev_minor};
    m.root = field(*sm, uapi::kStatmountMntRoot, sm->mnt_root);
    m.target = field(*sm, uapi::kStatmountMntPoint, sm->mnt_point);
    m.fstype = field(*sm, uapi::kStatmountFsType, sm->fs_type);
    if (std::string sub = field(*sm, uapi::kStatmountFsSubtype, sm->fs_subtype); !sub.empty())
      m.fstype += "." + sub;
    m.vfs_options = vfs_options(sm->mnt_attr);
    m.source = field(*sm, uapi::kStatmountSbSource, sm->sb_source);
    std::string fs_opts = field(*sm, uapi::kStatmountMntOpts, sm->mnt_opts);
    m.fs_options = std::string((sm->sb_flags & 0x1) ? "ro" : "rw") + (fs_opts.empty() ? "" : "," + fs_opts);
    m.ns_id = (sm->mask & uapi::kStatmountMntNsId) ? sm->mnt_ns_id : ns_id;
    return m;
  }
  return fail(EOVERFLOW, "statmount", "mount " + std::to_string(mnt_id));
}

}  // namespace detach

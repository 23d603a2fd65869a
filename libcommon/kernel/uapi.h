// SPDX-License-Identifier: GPL-2.0-or-later
// Kernel interfaces newer than Debian 12's uapi headers (Linux 6.1), in one place.
// Support is detected at run time (ENOSYS, EINVAL, ENOTTY), never assumed from these definitions.
#pragma once

#include <linux/ioctl.h>
#include <linux/types.h>
#include <sys/syscall.h>

namespace detach::uapi {

// statx (6.8): the 64-bit mount id that is never reused.
inline constexpr unsigned kStatxMntId = 0x00001000U;
inline constexpr unsigned kStatxMntIdUnique = 0x00004000U;

// listmount / statmount (6.8; mnt_ns_id in 6.11)
// The same numbers on every architecture since the syscall table unification.
inline constexpr long kSysStatmount = 457;
inline constexpr long kSysListmount = 458;

struct MntIdReq {
  __u32 size;
  __u32 spare;
  __u64 mnt_id;
  __u64 param;
  __u64 mnt_ns_id;
};
inline constexpr __u32 kMntIdReqSizeVer0 = 24;
inline constexpr __u32 kMntIdReqSizeVer1 = 32;
inline constexpr __u64 kLsmtRoot = 0xffffffffffffffffULL;

struct Statmount {
  __u32 size;
  __u32 mnt_opts;
  __u64 mask;
  __u32 sb_dev_major;
  __u32 sb_dev_minor;
  __u64 sb_magic;
  __u32 sb_flags;
  __u32 fs_type;
  __u64 mnt_id;
  __u64 mnt_parent_id;
  __u32 mnt_id_old;
  __u32 mnt_parent_id_old;
  __u64 mnt_attr;
  __u64 mnt_propagation;
  __u64 mnt_peer_group;
  __u64 mnt_master;
  __u64 propagate_from;
  __u32 mnt_root;
  __u32 mnt_point;
  __u64 mnt_ns_id;
  __u32 fs_subtype;
  __u32 sb_source;
  __u32 opt_num;
  __u32 opt_array;
  __u32 opt_sec_num;
  __u32 opt_sec_array;
  __u64 supported_mask;
  __u32 mnt_uidmap_num;
  __u32 mnt_uidmap;
  __u32 mnt_gidmap_num;
  __u32 mnt_gidmap;
  __u64 spare2[43];
  char str[];
};

inline constexpr __u64 kStatmountSbBasic = 0x1;
inline constexpr __u64 kStatmountMntBasic = 0x2;
inline constexpr __u64 kStatmountMntRoot = 0x8;
inline constexpr __u64 kStatmountMntPoint = 0x10;
inline constexpr __u64 kStatmountFsType = 0x20;
inline constexpr __u64 kStatmountMntNsId = 0x40;
inline constexpr __u64 kStatmountMntOpts = 0x80;
inline constexpr __u64 kStatmountFsSubtype = 0x100;
inline constexpr __u64 kStatmountSbSource = 0x200;

// nsfs ioctls (NS_GET_MNTNS_ID 6.10 as _IOR; NS_MNT_GET_* 6.12)
inline constexpr unsigned kNsio = 0xb7;
struct MntNsInfo {
  __u32 size;
  __u32 nr_mounts;
  __u64 mnt_ns_id;
};
inline constexpr __u32 kMntNsInfoSizeVer0 = 16;
inline constexpr unsigned long kNsGetMntnsId = _IOR(kNsio, 0x5, __u64);
inline constexpr unsigned long kNsMntGetInfo = _IOR(kNsio, 10, MntNsInfo);
inline constexpr unsigned long kNsMntGetNext = _IOR(kNsio, 11, MntNsInfo);
inline constexpr unsigned long kNsMntGetPrev = _IOR(kNsio, 12, MntNsInfo);

// kcmp (3.5): is a thread's fs_struct / file table its own?
inline constexpr int kKcmpFiles = 2;
inline constexpr int kKcmpFs = 3;

}  // namespace detach::uapi

namespace detach::uapi {

// statfs f_flags bit of a nosymfollow mount (Linux 5.10); glibc 2.36 has no ST_NOSYMFOLLOW.
inline constexpr unsigned long kStNoSymfollow = 0x2000;

// fanotify mount events (6.15): attach/detach of mounts in a marked mount namespace, reported by unique id.
inline constexpr unsigned kFanReportMnt = 0x00004000;
inline constexpr unsigned kFanMarkMntns = 0x00000110;
inline constexpr unsigned long long kFanMntAttach = 0x01000000ULL;
inline constexpr unsigned long long kFanMntDetach = 0x02000000ULL;

}  // namespace detach::uapi

namespace detach::uapi {

// bpf(2) link info (BPF_OBJ_GET_INFO_BY_FD on a link) past Linux 6.1: what a uprobe link says of its file.
// perf_event links describe their probe since 6.6, uprobe_multi links (6.6) their file since 6.8; an older
// kernel leaves these parts zero, or refuses a non-zero part it does not know (E2BIG).
inline constexpr __u32 kBpfLinkTypePerfEvent = 7;
inline constexpr __u32 kBpfLinkTypeUprobeMulti = 12;
inline constexpr __u32 kBpfPerfEventUprobe = 1;  // enum bpf_perf_event_type
inline constexpr __u32 kBpfPerfEventUretprobe = 2;
inline constexpr __u32 kBpfFUprobeMultiReturn = 1;  // uprobe_multi.flags: return probes

// struct bpf_link_info, its head and the two parts read here (include/uapi/linux/bpf.h, 6.8 on).
struct BpfLinkInfo {
  __u32 type;
  __u32 id;
  __u32 prog_id;
  union {
    struct {
      __aligned_u64 path;  // in: buffer; the file's d_path is written there
      __aligned_u64 offsets;
      __aligned_u64 ref_ctr_offsets;
      __aligned_u64 cookies;
      __u32 path_size;  // in: buffer size; out: the path's size, its NUL included
      __u32 count;      // out: how many offsets
      __u32 flags;      // kBpfFUprobeMultiReturn
      __u32 pid;        // the one process it fires in (as this process numbers it), 0: every process
    } uprobe_multi;
    struct {
      __u32 type;  // kBpfPerfEventUprobe, kBpfPerfEventUretprobe, or another kind of perf event
      __u32 pad;
      __aligned_u64 file_name;  // in: buffer; the path given at the probe's creation is written there
      __u32 name_len;           // in: buffer size; out: the name's size, its NUL included
      __u32 offset;
      __u64 cookie;
      __u64 ref_ctr_offset;
    } perf_event;
  };
} __attribute__((aligned(8)));
static_assert(sizeof(BpfLinkInfo) == 64);

}  // namespace detach::uapi

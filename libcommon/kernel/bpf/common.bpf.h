// SPDX-License-Identifier: GPL-2.0-or-later
// What every family of our BPF programs shares: how a path (a mount and a dentry) becomes the fields statx()
// would give of it, read without calling into any filesystem.
//
// Pointers the iterator hands a program (ctx->task, ctx->file) and those read from them are typed (BTF):
// their fields are read directly, each load guarded by the kernel (a bad pointer reads as 0). A pointer made
// by arithmetic (container_of) has no type: BPF_CORE_READ reads through it with bpf_probe_read_kernel().
#pragma once

#include "kernel_types.h"
#include "records.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#define S_IFMT 00170000
#define S_IFBLK 0060000
#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define BTRFS_SUPER_MAGIC 0x9123683E

// The ids of the mount VFS is embedded in (struct mount, fs/mount.h): the old one always, the unique one
// where the kernel has it (6.8+; 0 before).
static __always_inline void detach_mount_ids(struct vfsmount* vfs, __u32* old_id, __u64* unique_id) {
  struct mount* m = (void*)vfs - bpf_core_field_offset(struct mount, mnt);
  *old_id = (__u32)BPF_CORE_READ(m, mnt_id);
  *unique_id = 0;
  if (bpf_core_field_exists(struct mount, mnt_id_unique)) *unique_id = BPF_CORE_READ(m, mnt_id_unique);
}

// st_dev as stat() reports it: the superblock's, but on btrfs the subvolume's own anonymous device
// (btrfs_getattr: BTRFS_I(inode)->root->anon_dev).
static __always_inline __u32 detach_stat_dev(struct inode* inode) {
  struct super_block* sb = inode->i_sb;
  __u32 dev = sb->s_dev;
  if (bpf_core_type_exists(struct btrfs_inode) && sb->s_magic == BTRFS_SUPER_MAGIC) {
    struct btrfs_inode* bi = (void*)inode - bpf_core_field_offset(struct btrfs_inode, vfs_inode);
    __u32 anon = BPF_CORE_READ(bi, root, anon_dev);
    if (anon) dev = anon;
  }
  return dev;
}

// st_dev as stat() gives it, through a pointer read from memory (no type: every field read by
// bpf_probe_read_kernel), as detach_stat_dev() gives it of a typed one.
static __always_inline __u32 detach_stat_dev_untyped(struct inode* inode) {
  __u32 dev = BPF_CORE_READ(inode, i_sb, s_dev);
  if (bpf_core_type_exists(struct btrfs_inode) && BPF_CORE_READ(inode, i_sb, s_magic) == BTRFS_SUPER_MAGIC) {
    struct btrfs_inode* bi = (void*)inode - bpf_core_field_offset(struct btrfs_inode, vfs_inode);
    __u32 anon = BPF_CORE_READ(bi, root, anon_dev);
    if (anon) dev = anon;
  }
  return dev;
}

// The mount and object of FILE, a pointer read from memory (a ring's table, a queued message's list of
// files): false when there is none to give (no file, no mount, a dentry without inode).
static __always_inline bool detach_file_id_untyped(struct file* file, struct detach_bpf_file_id* out) {
  __builtin_memset(out, 0, sizeof(*out));
  if (!file) return false;
  struct vfsmount* mnt = BPF_CORE_READ(file, f_path.mnt);
  struct inode* inode = BPF_CORE_READ(file, f_path.dentry, d_inode);
  if (!mnt || !inode) return false;
  detach_mount_ids(mnt, &out->mnt_id, &out->mnt_id_unique);
  out->ino = BPF_CORE_READ(inode, i_ino);
  out->dev = detach_stat_dev_untyped(inode);
  return true;
}

// A family that writes each kernel object once (an overlay's superblock, a binfmt_misc instance), at the
// first path to it the iterators meet, keeps the objects written in a hash map of its own, kept for the
// family's life (one snapshot): DETACH_BPF_WRITTEN_ONCE defines it, and written_before(), which asks whether
// KEY was written and marks it written.
#define DETACH_BPF_WRITTEN_ONCE                             \
  struct {                                                  \
    __uint(type, BPF_MAP_TYPE_HASH);                        \
    __uint(max_entries, 4096);                              \
    __type(key, __u64);                                     \
    __type(value, __u8);                                    \
  } written SEC(".maps");                                   \
  static __always_inline bool written_before(__u64 key) {   \
    if (bpf_map_lookup_elem(&written, &key)) return true;   \
    __u8 one = 1;                                           \
    bpf_map_update_elem(&written, &key, &one, BPF_NOEXIST); \
    return false;                                           \
  }

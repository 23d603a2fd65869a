// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel structures our BPF programs read, and only the fields they read: instead of a vmlinux.h dumped
// from the build machine's kernel, so that the build does not depend on that kernel. Every struct is
// preserve_access_index (CO-RE): libbpf moves each field access to where the running kernel's BTF puts the
// field, whatever the layout here. A field that only some kernels have is read behind bpf_core_field_exists()
// (struct mount's mnt_id_unique, since 6.8). Names and types are the kernel's; the order here means nothing.
//
// For the bpf target only (clang -target bpf); userspace reads the records of records.h.
#pragma once

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0

typedef __u32 dev_t;  // the kernel's own encoding: major << 20 | minor
typedef __u16 umode_t;
typedef __u32 fmode_t;

// The uapi constants the programs pass to helpers (linux/bpf.h), which the bpf target cannot include here.
enum bpf_map_type { BPF_MAP_TYPE_HASH = 1, BPF_MAP_TYPE_PERCPU_ARRAY = 6 };
#define BPF_NOEXIST 1

#define CORE __attribute__((preserve_access_index))

struct dentry;

struct super_block {
  dev_t s_dev;
  unsigned long s_magic;
  struct dentry* s_root;
  void* s_fs_info;  // an overlay's: its struct ovl_fs
} CORE;

struct inode {
  umode_t i_mode;
  struct super_block* i_sb;
  unsigned long i_ino;
  dev_t i_rdev;
} CORE;

// Only the name's characters are read (the length and hash around them moved between kernels).
struct qstr {
  const unsigned char* name;
} CORE;

struct dentry {
  struct inode* d_inode;
  struct super_block* d_sb;
  struct qstr d_name;  // an anonymous inode's file: its name ("[io_uring]")
} CORE;

struct vfsmount {
  struct dentry* mnt_root;
  struct super_block* mnt_sb;
} CORE;

// fs/mount.h: the vfsmount is embedded; the ids live around it.
struct mount {
  struct vfsmount mnt;
  int mnt_id;           // the id mountinfo and fdinfo show (reused once freed)
  __u64 mnt_id_unique;  // since 6.8: the id listmount() and statx(STATX_MNT_ID_UNIQUE) give
} CORE;

struct path {
  struct vfsmount* mnt;
  struct dentry* dentry;
} CORE;

struct file {
  struct path f_path;
  fmode_t f_mode;
  void* private_data;  // an io_uring ring's file: its struct io_ring_ctx
} CORE;

// io_uring's table of registered files (IORING_REGISTER_FILES), two layouts:
// 6.13+: ctx->file_table.data.nodes[i] (NULL: an empty slot), its file_ptr; nr slots in file_table.data.nr.
// 5.19-6.12: ctx->file_table.files[i].file_ptr, ctx->nr_user_files slots.
// Either file_ptr is a struct file pointer with flags in its low bits (FFS_NOWAIT, FFS_ISREG ...).
struct io_rsrc_node {
  unsigned long file_ptr;
} CORE;

struct io_rsrc_data {
  unsigned int nr;
  struct io_rsrc_node** nodes;
} CORE;

struct io_fixed_file {
  unsigned long file_ptr;
} CORE;

struct io_file_table {
  struct io_rsrc_data data;     // 6.13+
  struct io_fixed_file* files;  // 5.19-6.12
} CORE;

struct io_ring_ctx {
  struct io_file_table file_table;
  unsigned int nr_user_files;  // 5.19-6.12
} CORE;

struct fs_struct {
  struct path root;
  struct path pwd;
} CORE;

struct mm_struct {
  struct file* exe_file;
} CORE;

struct user_namespace;

// The task's own credentials: its user namespace, whose binfmt_misc instance (or the nearest ancestor's) its
// execs use.
struct cred {
  struct user_namespace* user_ns;
} CORE;

struct task_struct {
  int pid;
  int tgid;
  struct task_struct* group_leader;
  const struct cred* cred;
  struct fs_struct* fs;
  struct mm_struct* mm;
} CORE;

struct vm_area_struct {
  unsigned long vm_start;
  unsigned long vm_end;
  struct file* vm_file;
} CORE;

// An overlay's layers (fs/overlayfs/ovl_entry.h): ovl_fs->layers[0] is the upper layer (its mnt NULL without
// one), layers[1..numlayer-1] the lower ones in the order they stack, the last numdatalayer of them
// data-only. Each layer's mnt is the overlay's private copy of the mount its directory lay on. The overlay's
// root inode holds the directories themselves: the upper one, and (6.5+: in its ovl_inode's oe) the lower
// stack's.
struct ovl_layer {
  struct vfsmount* mnt;
} CORE;

struct ovl_path {
  struct dentry* dentry;
} CORE;

struct ovl_entry {
  unsigned int __numlower;
  struct ovl_path __lowerstack[];
} CORE;

struct ovl_fs {
  unsigned int numlayer;
  unsigned int numdatalayer;
  struct ovl_layer* layers;
  struct dentry* workbasedir;  // the workdir= directory (its "work" subdirectory is ovl_fs->workdir)
} CORE;

struct ovl_inode {
  struct inode vfs_inode;
  struct dentry* __upperdentry;
  struct ovl_entry* oe;  // 6.5+; before, the root dentry's d_fsdata
} CORE;

// btrfs: stat() gives a file the device of its subvolume (btrfs_getattr: BTRFS_I(inode)->root->anon_dev),
// not the superblock's. Read only where the kernel has btrfs (bpf_core_type_exists).
struct btrfs_root {
  dev_t anon_dev;
} CORE;

struct btrfs_inode {
  struct btrfs_root* root;
  struct inode vfs_inode;
} CORE;

// A unix socket's queue of messages (skbs), and the files a message carries (SCM_RIGHTS): read by
// unix_inflight.bpf.c. The queue is a ring of skbs whose next pointer comes back to the queue itself.
struct sk_buff {
  struct sk_buff* next;
  char cb[48];  // a unix socket's message: its struct unix_skb_parms (UNIXCB)
} CORE;

struct sk_buff_head {
  struct sk_buff* next;
  __u32 qlen;
} CORE;

struct socket {
  struct file* file;  // its inode: the socket:[INO] of /proc/PID/fd/N
} CORE;

struct sock {
  struct sk_buff_head sk_receive_queue;
  struct socket* sk_socket;
} CORE;

struct unix_sock {
  struct sock sk;
} CORE;

// SCM_MAX_FD files at most, since 2.6 (fp[] is sized to it).
struct scm_fp_list {
  short count;
  struct file* fp[253];
} CORE;

struct unix_skb_parms {
  struct scm_fp_list* fp;
} CORE;

// binfmt_misc (fs/binfmt_misc.c), 6.7+: each user namespace that mounted binfmt_misc has its own instance of
// entries (init's too, once mounted); a namespace without one uses its nearest ancestor's. Before 6.7 the
// entries were a static list no BPF program reaches (user_namespace has no binfmt_misc then).
struct list_head {
  struct list_head* next;
} CORE;

struct binfmt_misc {
  struct list_head entries;
} CORE;

struct user_namespace {
  struct user_namespace* parent;
  struct binfmt_misc* binfmt_misc;
} CORE;

// One entry (fs/binfmt_misc.c's `typedef struct {...} Node`): an anonymous struct, which CO-RE reaches by
// its typedef's name ("Node"; the ___ suffix is ours, and libbpf and the kernel ignore it when they match
// names). interp_file is the interpreter the kernel opened at registration (flag F); NULL without F.
typedef struct {
  struct list_head list;
  char* name;
  const char* interpreter;
  struct dentry* dentry;  // the entry's file in its instance's binfmt_misc superblock
  struct file* interp_file;
} CORE Node___binfmt;

// The iterators' contexts (kernel/bpf/task_iter.c, net/unix/af_unix.c). seq_file is opaque: only
// bpf_seq_write() takes it.
struct seq_file;

struct bpf_iter_meta {
  struct seq_file* seq;
  __u64 session_id;
  __u64 seq_num;
} CORE;

struct bpf_iter__task {
  struct bpf_iter_meta* meta;
  struct task_struct* task;
} CORE;

struct bpf_iter__task_file {
  struct bpf_iter_meta* meta;
  struct task_struct* task;
  __u32 fd;
  struct file* file;
} CORE;

struct bpf_iter__task_vma {
  struct bpf_iter_meta* meta;
  struct task_struct* task;
  struct vm_area_struct* vma;
} CORE;

// net/unix/af_unix.c, since 5.17: one unix socket of the iterator's network namespace (the opener's).
struct bpf_iter__unix {
  struct bpf_iter_meta* meta;
  struct unix_sock* unix_sk;
  __u32 uid;
} CORE;

#undef CORE

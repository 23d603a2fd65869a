// SPDX-License-Identifier: GPL-2.0-or-later
// The files registered with io_uring rings (IORING_REGISTER_FILES), read from each ring's own file table:
// the mount each is on, exactly, where the ring's fdinfo gives only a path (one that resolves nowhere once
// its filesystem is lazily detached). One iterator, iter/task_file, over every fd; an fd that is a ring
// ("[io_uring]" on the anonymous-inode filesystem) has its table read, one record (records.h) per file.
// The table's layout moved (kernel_types.h): which one this kernel has is asked with
// bpf_core_field_exists(); a kernel with neither fails to load this family, and the rings' files are then
// placed from their fdinfo, as the /proc source places them.
//
// Read-only, as task_pins.bpf.c: typed loads and bpf_probe_read_kernel(), records written only into the
// iterator's own output (bpf_seq_write); no call into a filesystem, nothing outlives the loading process.
#include "common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define ANON_INODE_FS_MAGIC 0x09041934
#define FILE_PTR_FLAGS 7UL  // FFS_NOWAIT, FFS_ISREG (and FFS_SCM before 6.x): a struct file is 8-aligned

static const char kRingName[] = "[io_uring]";

// An io_uring ring's file: an anonymous inode named "[io_uring]".
static __always_inline bool is_ring(struct file* file) {
  struct dentry* dentry = file->f_path.dentry;
  if (!dentry || !dentry->d_inode || dentry->d_inode->i_sb->s_magic != ANON_INODE_FS_MAGIC) return false;
  char name[sizeof kRingName];
  if (bpf_probe_read_kernel_str(name, sizeof name, dentry->d_name.name) != sizeof kRingName) return false;
  for (int i = 0; i < (int)sizeof kRingName; ++i)
    if (name[i] != kRingName[i]) return false;
  return true;
}

// The ring being read: the task whose fd table holds it, and its fd.
struct ring_at {
  struct seq_file* seq;
  struct task_struct* task;
  __s32 fd;
};

// One record of the file PTR (a table entry's file_ptr, its flags in the low bits) in slot I of the ring AT.
static __always_inline void emit_slot(const struct ring_at* at, unsigned long ptr, __u32 i) {
  struct detach_bpf_ring_file rec;
  __builtin_memset(&rec, 0, sizeof rec);
  if (!detach_file_id_untyped((struct file*)(ptr & ~FILE_PTR_FLAGS), &rec.file)) return;
  rec.tgid = at->task->tgid;
  rec.tid = at->task->pid;
  rec.fd = at->fd;
  rec.slot = i;
  bpf_seq_write(at->seq, &rec, sizeof rec);
}

// 6.13+: nodes[i] (NULL: an empty slot) -> file_ptr.
static __always_inline void read_nodes(const struct ring_at* at, struct io_ring_ctx* ring) {
  const __u32 count = BPF_CORE_READ(ring, file_table.data.nr);
  struct io_rsrc_node** nodes = BPF_CORE_READ(ring, file_table.data.nodes);
  if (!nodes) return;
  for (__u32 i = 0; i < DETACH_BPF_RING_SLOTS && i < count; ++i) {
    struct io_rsrc_node* node = 0;
    if (bpf_probe_read_kernel(&node, sizeof node, nodes + i) != 0 || !node) continue;
    emit_slot(at, BPF_CORE_READ(node, file_ptr), i);
  }
}

// 5.19-6.12: files[i].file_ptr (0: an empty slot).
static __always_inline void read_fixed_files(const struct ring_at* at, struct io_ring_ctx* ring) {
  const __u32 count = BPF_CORE_READ(ring, nr_user_files);
  struct io_fixed_file* files = BPF_CORE_READ(ring, file_table.files);
  if (!files) return;
  const __u32 size = bpf_core_type_size(struct io_fixed_file);
  for (__u32 i = 0; i < DETACH_BPF_RING_SLOTS && i < count; ++i) {
    struct io_fixed_file* entry = (void*)files + i * size;
    emit_slot(at, BPF_CORE_READ(entry, file_ptr), i);
  }
}

SEC("iter/task_file")
int ring_files(struct bpf_iter__task_file* ctx) {
  struct file* file = ctx->file;
  const struct ring_at at = {ctx->meta->seq, ctx->task, (__s32)ctx->fd};
  if (!at.task || !file || !is_ring(file)) return 0;
  struct io_ring_ctx* ring = file->private_data;
  if (!ring) return 0;
  // Which layout this kernel has; a kernel with neither has no slot this program can read.
  if (bpf_core_field_exists(struct io_file_table, data))
    read_nodes(&at, ring);
  else if (bpf_core_field_exists(struct io_file_table, files) &&
           bpf_core_field_exists(struct io_ring_ctx, nr_user_files))
    read_fixed_files(&at, ring);
  return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
// The layers of each overlay a task stands in, has open or has mapped, read from the overlay's own
// superblock (struct ovl_fs, kernel_types.h), where its mount options give only paths: a path that was
// renamed, removed or mounted over since, and the options of an overlay lazily detached with nobody to record
// them, no longer say where a layer is. The kernel's structures do: the device and inode of each layer's
// directory. Three iterators, as task_pins.bpf.c walks them, each run only while an overlay the scan wants is
// still unread (scan/bpf/overlay_layers.cc): iter/task (cwd, root, exe), iter/task_file, iter/task_vma. An
// overlay's layers are written once, at the first path on it met: a hash map of the superblocks already
// written, kept for the family's life (one snapshot).
//
// Read-only, as task_pins.bpf.c: typed loads and bpf_probe_read_kernel(); the only writes are the records,
// into the iterator's own output (bpf_seq_write), the map of superblocks written and the record being made,
// which are the program's own. No call into a filesystem, nothing outlives the loading process.
#include "common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define OVERLAYFS_SUPER_MAGIC 0x794c7630

// The overlays whose layers were written (their superblock's address).
DETACH_BPF_WRITTEN_ONCE

// The record being made, in a map rather than in the loop's state on the stack: the verifier then has fewer
// stack slots to track through the bpf_loop callbacks (the family's load, beyond a trivial program's, a
// quarter shorter).
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct detach_bpf_overlay_layer);
} scratch SEC(".maps");

// The overlay being written: its output, its records' common fields, and where its layers are.
struct overlay_at {
  struct seq_file* seq;
  __u32 overlay_dev;
  __u16 lower_count;
  __u16 data_count;
  unsigned long layers;  // &ovl_fs->layers[0]
  unsigned long stack;   // the root's lower stack, &__lowerstack[0]; 0 when not read
  __u32 stacked;         // its length
  __u32 lower;           // how many lower layers are read (DETACH_BPF_OVERLAY_LOWER_LAYERS at most)
  __u32 merged;          // how many lower layers are not data-only
  struct dentry* upper;  // the upper directory (the root's __upperdentry); NULL without one
  struct dentry* work;   // the workdir= directory
};

// bpf_loop's step over the layers (a bounded loop, inlined at each path a program reads, is more than the
// verifier takes): step I < LOWER is lower layer I (ovl_fs->layers[I + 1]), then the upper layer and its work
// directory. One record each, with the device and inode of the layer's directory where it was read, else
// with the device of the layer's mount.
static long emit_layer(__u32 i, void* data) {
  struct overlay_at* at = data;
  __u32 zero = 0;
  struct detach_bpf_overlay_layer* rec = bpf_map_lookup_elem(&scratch, &zero);
  if (!rec) return 1;
  struct ovl_layer* layers = (void*)at->layers;
  struct dentry* dir = 0;
  struct vfsmount* mnt = 0;
  if (i < at->lower) {
    struct ovl_layer* layer = (void*)(at->layers + (i + 1) * bpf_core_type_size(struct ovl_layer));
    mnt = BPF_CORE_READ(layer, mnt);
    const bool data_only = i >= at->merged;
    rec->role = data_only ? DETACH_BPF_OVERLAY_DATA : DETACH_BPF_OVERLAY_LOWER;
    rec->index = (__u16)(data_only ? i - at->merged : i);
    if (!data_only && i < at->stacked) {
      struct ovl_path* p = (void*)(at->stack + i * bpf_core_type_size(struct ovl_path));
      dir = BPF_CORE_READ(p, dentry);
    }
  } else {
    mnt = BPF_CORE_READ(layers, mnt);
    if (!mnt || !at->upper) return 1;
    const bool work = i > at->lower;
    if (work && !at->work) return 1;
    rec->role = work ? DETACH_BPF_OVERLAY_WORK : DETACH_BPF_OVERLAY_UPPER;
    rec->index = 0;
    dir = work ? at->work : at->upper;
  }
  struct inode* inode = dir ? BPF_CORE_READ(dir, d_inode) : 0;
  rec->ino = inode ? BPF_CORE_READ(inode, i_ino) : 0;
  if (!inode) inode = BPF_CORE_READ(mnt, mnt_root, d_inode);
  rec->dev = inode ? detach_stat_dev_untyped(inode) : 0;
  rec->overlay_dev = at->overlay_dev;
  rec->lower_count = at->lower_count;
  rec->data_count = at->data_count;
  if (rec->dev) bpf_seq_write(at->seq, rec, sizeof *rec);
  return 0;
}

// The layers of the overlay SB (typed or not: every field is read by BPF_CORE_READ), once per overlay;
// nothing for any other filesystem.
static __always_inline void emit_overlay(struct seq_file* seq, struct super_block* sb) {
  if (!sb || BPF_CORE_READ(sb, s_magic) != OVERLAYFS_SUPER_MAGIC) return;
  if (written_before((unsigned long)sb)) return;

  struct ovl_fs* ofs = BPF_CORE_READ(sb, s_fs_info);
  if (!ofs) return;
  const __u32 numlayer = BPF_CORE_READ(ofs, numlayer);
  const __u32 numdata = BPF_CORE_READ(ofs, numdatalayer);
  struct ovl_layer* layers = BPF_CORE_READ(ofs, layers);
  if (!layers || numlayer == 0 || numdata >= numlayer) return;
  const __u32 lower = numlayer - 1;

  struct overlay_at at;
  __builtin_memset(&at, 0, sizeof at);
  at.seq = seq;
  at.overlay_dev = BPF_CORE_READ(sb, s_dev);
  at.lower_count = (__u16)lower;
  at.data_count = (__u16)numdata;
  at.layers = (unsigned long)layers;
  at.lower = lower < DETACH_BPF_OVERLAY_LOWER_LAYERS ? lower : DETACH_BPF_OVERLAY_LOWER_LAYERS;
  at.merged = lower - numdata;
  at.work = BPF_CORE_READ(ofs, workbasedir);

  struct inode* root = BPF_CORE_READ(sb, s_root, d_inode);
  if (root) {
    struct ovl_inode* oi = (void*)root - bpf_core_field_offset(struct ovl_inode, vfs_inode);
    at.upper = BPF_CORE_READ(oi, __upperdentry);
    // The lower stack of the root: its directories (6.5+; before, only each layer's mount is read).
    struct ovl_entry* oe = 0;
    if (bpf_core_field_exists(struct ovl_inode, oe)) oe = BPF_CORE_READ(oi, oe);
    if (oe) {
      at.stacked = BPF_CORE_READ(oe, __numlower);
      at.stack = (unsigned long)oe + bpf_core_field_offset(struct ovl_entry, __lowerstack);
    }
  }
  bpf_loop(at.lower + 2, emit_layer, &at, 0);
}

// A task's paths that may be on an overlay: cwd, root, exe's superblocks, read one at a time by bpf_loop
// (each path's emit_overlay inlined in one program is more than the verifier takes in reasonable time).
struct task_paths {
  struct seq_file* seq;
  struct super_block* sbs[3];
};

static long emit_task_path(__u32 i, void* data) {
  struct task_paths* paths = data;
  if (i >= 3) return 1;
  emit_overlay(paths->seq, paths->sbs[i]);
  return 0;
}

SEC("iter/task")
int overlays_of_tasks(struct bpf_iter__task* ctx) {
  struct task_struct* task = ctx->task;
  if (!task) return 0;
  struct task_paths paths;
  __builtin_memset(&paths, 0, sizeof paths);
  paths.seq = ctx->meta->seq;
  struct fs_struct* fs = task->fs;
  if (fs) {
    paths.sbs[0] = BPF_CORE_READ(fs, pwd.mnt, mnt_sb);
    paths.sbs[1] = BPF_CORE_READ(fs, root.mnt, mnt_sb);
  }
  if (task->pid == task->tgid && task->mm)
    paths.sbs[2] = BPF_CORE_READ(task, mm, exe_file, f_path.mnt, mnt_sb);
  bpf_loop(3, emit_task_path, &paths, 0);
  return 0;
}

SEC("iter/task_file")
int overlays_of_files(struct bpf_iter__task_file* ctx) {
  struct file* file = ctx->file;
  if (!ctx->task || !file || !file->f_path.mnt) return 0;
  emit_overlay(ctx->meta->seq, file->f_path.mnt->mnt_sb);
  return 0;
}

SEC("iter/task_vma")
int overlays_of_maps(struct bpf_iter__task_vma* ctx) {
  struct task_struct* task = ctx->task;
  struct vm_area_struct* vma = ctx->vma;
  // Threads share the process's mm: its leader's mappings are all there is.
  if (!task || !vma || task->pid != task->tgid) return 0;
  struct file* file = vma->vm_file;
  if (!file || !file->f_path.mnt) return 0;
  emit_overlay(ctx->meta->seq, file->f_path.mnt->mnt_sb);
  return 0;
}

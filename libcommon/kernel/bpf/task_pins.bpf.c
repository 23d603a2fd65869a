// SPDX-License-Identifier: GPL-2.0-or-later
// Task pins, read in the kernel: what /proc/PID/{cwd,root,exe,fd/*,map_files/*} and the same links of
// threads with their own fs_struct or fd table lead to, one record each (records.h), without a syscall per
// fd. Three iterators, each run once per snapshot (scan/bpf/task_pins.cc):
//   iter/task       cwd and root (task->fs) of every process, and of each thread whose fs_struct is its own
//                   (what kcmp(KCMP_FS) with its leader tells); exe (mm->exe_file) of every process
//   iter/task_file  every open file of every fd table (the kernel visits a thread only when its table is its
//                   own, as kcmp(KCMP_FILES) would tell)
//   iter/task_vma   every file mapping of every process
//
// Read-only: the programs read kernel memory (typed loads the kernel guards, and bpf_probe_read_kernel where
// a pointer is computed: common.bpf.h) and write only their records into the iterator's own output
// (bpf_seq_write). No helper writes kernel or user memory,
// nothing here calls into a filesystem, and nothing outlives the loading process (no pinning in bpffs).
#include "common.bpf.h"
#include "records.h"

char LICENSE[] SEC("license") = "GPL";

// The record's pin: false when there is none to give (an exited task's fs, a dentry without inode).
static __always_inline bool fill_pin(struct detach_bpf_task_pin* rec, struct task_struct* task, __u16 kind,
                                     struct vfsmount* mnt, struct dentry* dentry) {
  __builtin_memset(rec, 0, sizeof(*rec));
  if (!mnt || !dentry) return false;
  struct inode* inode = dentry->d_inode;
  if (!inode) return false;
  rec->tgid = task->tgid;
  rec->tid = task->pid;
  rec->fd = -1;
  rec->kind = kind;
  detach_mount_ids(mnt, &rec->mnt_id, &rec->mnt_id_unique);
  rec->ino = inode->i_ino;
  rec->dev = detach_stat_dev(inode);
  if ((inode->i_mode & S_IFMT) == S_IFBLK) rec->rdev = inode->i_rdev;
  return true;
}

static __always_inline void emit_path(struct seq_file* seq, struct task_struct* task, __u16 kind,
                                      struct path* path) {
  struct detach_bpf_task_pin rec;
  if (fill_pin(&rec, task, kind, path->mnt, path->dentry)) bpf_seq_write(seq, &rec, sizeof(rec));
}

SEC("iter/task")
int task_fs_and_exe(struct bpf_iter__task* ctx) {
  struct seq_file* seq = ctx->meta->seq;
  struct task_struct* task = ctx->task;
  // Kernel threads too: /proc shows their cwd and root as well (what the scan keeps is its business).
  if (!task) return 0;
  const bool leader = task->pid == task->tgid;
  struct fs_struct* fs = task->fs;
  // A thread that shares its leader's fs_struct has no cwd or root of its own.
  if (fs && (leader || fs != task->group_leader->fs)) {
    emit_path(seq, task, DETACH_BPF_PIN_CWD, &fs->pwd);
    emit_path(seq, task, DETACH_BPF_PIN_ROOT, &fs->root);
  }
  if (leader && task->mm) {
    struct file* exe = task->mm->exe_file;
    if (exe) emit_path(seq, task, DETACH_BPF_PIN_EXE, &exe->f_path);
  }
  return 0;
}

SEC("iter/task_file")
int task_files(struct bpf_iter__task_file* ctx) {
  struct seq_file* seq = ctx->meta->seq;
  struct task_struct* task = ctx->task;
  struct file* file = ctx->file;
  if (!task || !file) return 0;
  struct detach_bpf_task_pin rec;
  if (!fill_pin(&rec, task, DETACH_BPF_PIN_FD, file->f_path.mnt, file->f_path.dentry)) return 0;
  rec.fd = (__s32)ctx->fd;
  const fmode_t mode = file->f_mode;
  if (mode & FMODE_READ) rec.flags |= DETACH_BPF_FILE_READ;
  if (mode & FMODE_WRITE) rec.flags |= DETACH_BPF_FILE_WRITE;
  bpf_seq_write(seq, &rec, sizeof(rec));
  return 0;
}

SEC("iter/task_vma")
int task_mappings(struct bpf_iter__task_vma* ctx) {
  struct seq_file* seq = ctx->meta->seq;
  struct task_struct* task = ctx->task;
  struct vm_area_struct* vma = ctx->vma;
  if (!task || !vma) return 0;
  // Threads share the process's mm: /proc/PID/map_files is the leader's.
  if (task->pid != task->tgid) return 0;
  struct file* file = vma->vm_file;
  if (!file) return 0;
  struct detach_bpf_task_mapping rec;
  if (!fill_pin(&rec.pin, task, DETACH_BPF_PIN_MMAP, file->f_path.mnt, file->f_path.dentry)) return 0;
  rec.vm_start = vma->vm_start;
  rec.vm_end = vma->vm_end;
  bpf_seq_write(seq, &rec, sizeof(rec));
  return 0;
}

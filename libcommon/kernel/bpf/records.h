// SPDX-License-Identifier: GPL-2.0-or-later
// What our BPF iterators write (bpf_seq_write) and userspace reads back from the iterator's fd: fixed-size
// records, the same bytes on both sides. Shared by the programs (clang -target bpf, where kernel_types.h
// gives the types) and the loader (C and C++).
#pragma once

#ifndef __bpf__
#include <linux/types.h>
#endif

// Which pin of a task a record is.
enum detach_bpf_pin_kind {
  DETACH_BPF_PIN_CWD = 1,
  DETACH_BPF_PIN_ROOT = 2,
  DETACH_BPF_PIN_EXE = 3,
  DETACH_BPF_PIN_FD = 4,
  DETACH_BPF_PIN_MMAP = 5,
};

// detach_bpf_task_pin.flags
#define DETACH_BPF_FILE_READ 0x1   // FMODE_READ: what the mode bits of /proc/PID/fd/N say too
#define DETACH_BPF_FILE_WRITE 0x2  // FMODE_WRITE

// One reference a task holds on a mount: its cwd or root (fs_struct), its exe (mm), an open file (fd table)
// or a file mapping (vma). The mount and the object are what statx() on the /proc link says of them
// (/proc/PID/cwd, /proc/PID/fd/N ...): mount ids, st_dev, st_ino, st_rdev.
struct detach_bpf_task_pin {
  __u64 mnt_id_unique;  // 0 on kernels before 6.8, which have none
  __u64 ino;
  __u32 mnt_id;  // the old id (mountinfo's, reused once freed)
  __u32 tgid;    // the process
  __u32 tid;     // the task whose fs_struct or fd table it is: tgid for the process's own
  __s32 fd;      // DETACH_BPF_PIN_FD: the descriptor; -1 otherwise
  __u32 dev;     // kernel dev_t (major << 20 | minor) of the object, as stat() gives it
  __u32 rdev;    // a block device file: the device it opens; 0 otherwise
  __u16 kind;    // enum detach_bpf_pin_kind
  __u16 flags;   // DETACH_BPF_FILE_*
  __u32 reserved;
};

// A file mapping: the pin, and where it is mapped (which names /proc/PID/map_files/START-END).
struct detach_bpf_task_mapping {
  struct detach_bpf_task_pin pin;
  __u64 vm_start;
  __u64 vm_end;
};

// A file as statx() on it would give it: the mount it is on and the object. What a family reports of each
// file a kernel object holds (a ring's registered file, a file in flight), read by detach_file_id_untyped()
// (common.bpf.h).
struct detach_bpf_file_id {
  __u64 mnt_id_unique;  // 0 on kernels before 6.8
  __u64 ino;
  __u32 mnt_id;  // the old id
  __u32 dev;     // kernel dev_t of the file, as stat() gives it
};

// How many slots of one ring's file table the ring_files program reads (a bounded loop, for the verifier);
// a ring with more has the rest placed from its fdinfo, as /proc places them.
#define DETACH_BPF_RING_SLOTS 1024

// A file registered with an io_uring ring (IORING_REGISTER_FILES), read from the ring's own file table: the
// mount and object the ring holds, where its fdinfo gives only a path.
struct detach_bpf_ring_file {
  struct detach_bpf_file_id file;
  __u32 tgid;  // the process holding the ring's fd
  __u32 tid;   // the task whose fd table it is: tgid for the process's own
  __s32 fd;    // the ring's fd
  __u32 slot;  // its index in the ring's table, as fdinfo numbers it
};

// How much of one unix socket's queue the unix_inflight program reads: its first messages (skbs: bpf_loop's
// bound), and of their files the first (what one socket's records may take of the iterator's buffer: the
// kernel refuses an object whose output alone overflows it, 8 pages). A socket with more gets a record
// flagged DETACH_BPF_INFLIGHT_TRUNCATED after those it read.
#define DETACH_BPF_INFLIGHT_MESSAGES 1024
#define DETACH_BPF_INFLIGHT_FILES 512

// detach_bpf_inflight_file.flags
#define DETACH_BPF_INFLIGHT_TRUNCATED 0x1  // no file: the socket's queue held more than was read

// A file in flight: sent over a unix socket with SCM_RIGHTS and waiting in the receiving socket's queue, read
// from the queued message's own list of files (UNIXCB(skb).fp), where the socket's fdinfo gives only a count.
struct detach_bpf_inflight_file {
  struct detach_bpf_file_id file;  // all 0 in a DETACH_BPF_INFLIGHT_TRUNCATED record
  __u64 socket_ino;                // the receiving socket's inode: /proc/PID/fd/N reads socket:[INO]
  __u32 flags;                     // DETACH_BPF_INFLIGHT_*
  __u32 reserved;
};

// How many lower layers (data-only ones included) of one overlay the overlay_layers program reads: what a
// task's three paths (cwd, root, exe), each on another overlay, may write of one object into the iterator's
// buffer (8 pages). The kernel stacks 500 at most; an overlay with more than these has its records'
// lower_count tell userspace that some are missing.
#define DETACH_BPF_OVERLAY_LOWER_LAYERS 128

// detach_bpf_overlay_layer.role
enum detach_bpf_overlay_role {
  DETACH_BPF_OVERLAY_LOWER = 1,  // lowerdir (index: its place in the stack, top first)
  DETACH_BPF_OVERLAY_DATA = 2,   // a data-only lower layer (index: among those)
  DETACH_BPF_OVERLAY_UPPER = 3,
  DETACH_BPF_OVERLAY_WORK = 4,
};

// One layer of an overlay, read from the overlay's own superblock (struct ovl_fs) where its options give only
// paths: the device and inode of the layer's directory, as statx() on the path would give them had it not
// moved since. The overlay's layers are read once, at the first task path on it the iterators meet.
struct detach_bpf_overlay_layer {
  __u64 ino;          // the layer's directory; 0 when not read (a data-only layer: only its mount's device)
  __u32 overlay_dev;  // the overlay's own device (its superblock's anonymous s_dev)
  __u32 dev;          // kernel dev_t of the layer's directory, as stat() gives it
  __u16 role;         // enum detach_bpf_overlay_role
  __u16 index;
  __u16 lower_count;  // how many lower layers the overlay has (data-only ones too), read or not
  __u16 data_count;   // of those, how many are data-only
};

// How much of one binfmt_misc instance the binfmt_entries program reads: its first entries with flag F, and
// of each the name's and the interpreter's first bytes (two instances' records must fit the iterator's
// buffer, 8 pages: a task may be the first to lead to its own namespace's instance and an ancestor's). An
// instance with more entries gets a record flagged DETACH_BPF_BINFMT_TRUNCATED after those it read.
#define DETACH_BPF_BINFMT_ENTRIES 64
#define DETACH_BPF_BINFMT_NAME 64
#define DETACH_BPF_BINFMT_INTERPRETER 128

// detach_bpf_binfmt_entry.flags
#define DETACH_BPF_BINFMT_TRUNCATED 0x1        // no entry: the instance held more than were read
#define DETACH_BPF_BINFMT_NAME_CUT 0x2         // name holds the name's first bytes only
#define DETACH_BPF_BINFMT_INTERPRETER_CUT 0x4  // interpreter holds the path's first bytes only
#define DETACH_BPF_BINFMT_UNREACHABLE 0x8  // no entry: this kernel's instances cannot be read (before 6.7)

// A binfmt_misc entry with flag F, read from its binfmt_misc instance's own list (struct binfmt_misc, a user
// namespace's): the interpreter file the kernel opened at registration, where the entry's file gives only
// the path it was registered with.
struct detach_bpf_binfmt_entry {
  struct detach_bpf_file_id file;  // the interpreter, as statx() on it would give it had it not moved since
  __u32 instance_dev;  // kernel dev_t of the instance's binfmt_misc superblock (its mounts' st_dev)
  __u32 flags;         // DETACH_BPF_BINFMT_*
  char name[DETACH_BPF_BINFMT_NAME];                // NUL-terminated
  char interpreter[DETACH_BPF_BINFMT_INTERPRETER];  // as registered, NUL-terminated
};

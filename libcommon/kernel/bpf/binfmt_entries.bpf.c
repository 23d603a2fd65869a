// SPDX-License-Identifier: GPL-2.0-or-later
// The binfmt_misc entries with flag F of every instance a task leads to, read from the instance's own list of
// entries (struct binfmt_misc, one per user namespace that mounted binfmt_misc, 6.7+): the interpreter file
// the kernel opened at registration and holds, as a mount and an object. The entry's file gives only the
// path the interpreter was registered with, which may have been renamed, removed or mounted over since; and
// an instance whose every mount is lazily detached, or in a namespace the scan cannot enter, has no file the
// scan can read at all. One iterator, iter/task: each task's user namespace and its ancestors, the nearest
// first, are where its execs look for an instance; each instance is written once, at the first task that
// leads to it (a hash map of the instances written, kept for the family's life: one snapshot).
//
// Read-only, as task_pins.bpf.c: typed loads and bpf_probe_read_kernel(); the only writes are the records,
// into the iterator's own output (bpf_seq_write), the map of instances written and the record being made,
// which are the program's own. The list is walked without its lock (a reader cannot take it): an entry
// removed meanwhile is read through bpf_probe_read_kernel, which faults safely, and the walk is bounded. No
// call into a filesystem, nothing outlives the loading process.
#include "common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

// A user namespace's depth is 32 at most (MAX_USER_NS_LEVEL), so 33 namespaces lead up from a task.
#define USER_NS_CHAIN 33
// What one task's call may write: two instances' records (DETACH_BPF_BINFMT_ENTRIES, records.h).
#define INSTANCES_PER_TASK 2

// The instances whose entries were written (their struct binfmt_misc's address); key 0: the record that says
// this kernel's instances cannot be read was written.
DETACH_BPF_WRITTEN_ONCE

// The record being made, in a map rather than on the stack: the verifier tracks each slot of a stack record
// through the nested bpf_loop callbacks, which made the family's load twice as slow (a map value is one
// opaque region).
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct detach_bpf_binfmt_entry);
} scratch SEC(".maps");

// An instance being written: its output, the list's head, the walk's place in it.
struct instance_at {
  struct seq_file* seq;
  struct list_head* head;
  struct list_head* next;
  __u32 written;  // records written
  bool whole;     // the walk came back to the head
  __u32 instance_dev;
};

// bpf_loop's step over an instance's list: one record per entry with an interpreter file, until the list
// comes back to its head, or DETACH_BPF_BINFMT_ENTRIES were written and another is met.
static long emit_entry(__u32 i, void* data) {
  struct instance_at* at = data;
  (void)i;
  struct list_head* pos = at->next;
  if (!pos || pos == at->head) {
    at->whole = pos == at->head;
    return 1;
  }
  at->next = BPF_CORE_READ(pos, next);
  Node___binfmt* e = (void*)pos - bpf_core_field_offset(Node___binfmt, list);
  struct file* file = BPF_CORE_READ(e, interp_file);
  if (!file) return 0;
  if (at->written == DETACH_BPF_BINFMT_ENTRIES) return 1;
  __u32 zero = 0;
  struct detach_bpf_binfmt_entry* rec = bpf_map_lookup_elem(&scratch, &zero);
  if (!rec) return 1;
  if (!detach_file_id_untyped(file, &rec->file)) return 0;
  rec->flags = 0;
  rec->instance_dev = at->instance_dev = BPF_CORE_READ(e, dentry, d_sb, s_dev);
  // bpf_probe_read_kernel_str's length counts the NUL: a string that fills the buffer may have been cut.
  long len = bpf_probe_read_kernel_str(rec->name, sizeof rec->name, BPF_CORE_READ(e, name));
  if (len <= 0) return 0;
  if (len == sizeof rec->name) rec->flags |= DETACH_BPF_BINFMT_NAME_CUT;
  len = bpf_probe_read_kernel_str(rec->interpreter, sizeof rec->interpreter, BPF_CORE_READ(e, interpreter));
  if (len <= 0) rec->interpreter[0] = '\0';
  if (len == sizeof rec->interpreter) rec->flags |= DETACH_BPF_BINFMT_INTERPRETER_CUT;
  bpf_seq_write(at->seq, rec, sizeof *rec);
  ++at->written;
  return 0;
}

// A task's way up its user namespaces: the next one to look at, and the instances written so far.
struct chain_at {
  struct seq_file* seq;
  struct user_namespace* ns;
  __u32 instances;
  struct instance_at instance;
};

static long emit_instance(__u32 i, void* data) {
  struct chain_at* at = data;
  (void)i;
  struct user_namespace* ns = at->ns;
  if (!ns || at->instances == INSTANCES_PER_TASK) return 1;
  at->ns = BPF_CORE_READ(ns, parent);
  struct binfmt_misc* misc = BPF_CORE_READ(ns, binfmt_misc);
  if (!misc || written_before((unsigned long)misc)) return 0;
  ++at->instances;
  struct instance_at* instance = &at->instance;
  instance->seq = at->seq;
  struct list_head* head = (void*)misc + bpf_core_field_offset(struct binfmt_misc, entries);
  instance->head = head;
  instance->next = BPF_CORE_READ(head, next);
  instance->written = 0;
  instance->whole = false;
  instance->instance_dev = 0;
  // Entries without flag F are stepped over: the bound is on the whole list.
  bpf_loop(DETACH_BPF_BINFMT_ENTRIES + 1024, emit_entry, instance, 0);
  if (!instance->whole) {
    // Its instance_dev is the last record's (0 when none was written).
    __u32 zero = 0;
    struct detach_bpf_binfmt_entry* rec = bpf_map_lookup_elem(&scratch, &zero);
    if (!rec) return 1;
    __builtin_memset(rec, 0, sizeof *rec);
    rec->instance_dev = instance->instance_dev;
    rec->flags = DETACH_BPF_BINFMT_TRUNCATED;
    bpf_seq_write(at->seq, rec, sizeof *rec);
  }
  return 0;
}

SEC("iter/task")
int binfmt_entries_of_tasks(struct bpf_iter__task* ctx) {
  struct task_struct* task = ctx->task;
  if (!task) return 0;
  struct seq_file* seq = ctx->meta->seq;
  // A kernel without per-namespace instances (before 6.7), or without binfmt_misc: said once.
  if (!bpf_core_field_exists(struct user_namespace, binfmt_misc) || !bpf_core_type_exists(Node___binfmt)) {
    __u32 zero = 0;
    struct detach_bpf_binfmt_entry* rec = bpf_map_lookup_elem(&scratch, &zero);
    if (rec && !written_before(0)) {
      __builtin_memset(rec, 0, sizeof *rec);
      rec->flags = DETACH_BPF_BINFMT_UNREACHABLE;
      bpf_seq_write(seq, rec, sizeof *rec);
    }
    return 0;
  }
  struct chain_at at;
  __builtin_memset(&at, 0, sizeof at);
  at.seq = seq;
  at.ns = BPF_CORE_READ(task, cred, user_ns);
  bpf_loop(USER_NS_CHAIN, emit_instance, &at, 0);
  return 0;
}

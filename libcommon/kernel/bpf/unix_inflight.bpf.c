// SPDX-License-Identifier: GPL-2.0-or-later
// Files in flight over unix sockets: sent with SCM_RIGHTS and not yet received, each held by the message that
// carries it in the receiving socket's queue, where the socket's fdinfo gives only a count (scm_fds). One
// iterator, iter/unix (5.17+: every unix socket of the iterator's network namespace); a socket whose receive
// queue is not empty has its messages read, and each file a message carries (UNIXCB(skb).fp) becomes one
// record (records.h): the file's mount and object, and the receiving socket's inode, which userspace ties to
// the processes holding that socket.
//
// Locking: the iterator holds the socket's own lock (lock_sock_fast) around the program, not its queue's
// (sk_receive_queue.lock, a spinlock no BPF program may take). A receiver dequeueing meanwhile may free a
// message under us: every load through the queue is bpf_probe_read_kernel() (BPF_CORE_READ), which reads a
// freed or reused object as whatever it holds, or fails, and never faults. What such a race reads is at most
// a wrong or missing record, and the count in the socket's fdinfo tells userspace when records are missing.
//
// Read-only, as task_pins.bpf.c: records written only into the iterator's own output (bpf_seq_write); no call
// into a filesystem, nothing outlives the loading process.
#include "common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define SCM_MAX_FD 253  // fp[]'s size: how many files one message carries at most

// The queue being read: the socket's, the next message, and the files of the message being read.
struct queue_walk {
  struct seq_file* seq;
  __u64 socket_ino;
  unsigned long head;   // the queue's own address: its ring of messages ends where it began
  unsigned long skb;    // the next message to read
  unsigned long files;  // the message's scm_fp_list's &fp[0]
  __u32 written;        // records so far (DETACH_BPF_INFLIGHT_FILES at most)
  bool truncated;       // there was more to read
};

// bpf_loop's step over a message's files: file I, one record.
static long read_file(__u32 i, void* data) {
  struct queue_walk* walk = data;
  if (walk->written >= DETACH_BPF_INFLIGHT_FILES) {
    walk->truncated = true;
    return 1;
  }
  struct file* file = 0;
  if (bpf_probe_read_kernel(&file, sizeof file, (void*)(walk->files + i * sizeof file)) != 0) return 1;
  struct detach_bpf_inflight_file rec;
  if (!detach_file_id_untyped(file, &rec.file)) return 0;
  rec.socket_ino = walk->socket_ino;
  rec.flags = 0;
  rec.reserved = 0;
  bpf_seq_write(walk->seq, &rec, sizeof rec);
  ++walk->written;
  return 0;
}

// bpf_loop's step over the queue: the message WALK is at, its files (an inner bpf_loop: a bounded loop of
// 253 reads inside this one is more than the verifier takes), then on to the next; 1 (stop) at the end.
static long read_message(__u32 index, void* data) {
  (void)index;
  struct queue_walk* walk = data;
  if (!walk->skb || walk->skb == walk->head || walk->truncated) return 1;
  struct sk_buff* skb = (struct sk_buff*)walk->skb;
  struct scm_fp_list* list = 0;
  const unsigned long cb = walk->skb + bpf_core_field_offset(struct sk_buff, cb);
  bpf_probe_read_kernel(&list, sizeof list, (void*)(cb + bpf_core_field_offset(struct unix_skb_parms, fp)));
  if (list) {
    const int count = BPF_CORE_READ(list, count);
    walk->files = (unsigned long)list + bpf_core_field_offset(struct scm_fp_list, fp);
    if (count > 0) bpf_loop(count < SCM_MAX_FD ? count : SCM_MAX_FD, read_file, walk, 0);
    if (walk->truncated) return 1;
  }
  walk->skb = (unsigned long)BPF_CORE_READ(skb, next);
  return 0;
}

SEC("iter/unix")
int unix_inflight(struct bpf_iter__unix* ctx) {
  struct unix_sock* unix_sk = ctx->unix_sk;
  if (!unix_sk) return 0;
  struct sock* sk = &unix_sk->sk;
  if (sk->sk_receive_queue.qlen == 0) return 0;
  // The socket's inode: how /proc names it (socket:[INO]). A socket no file holds (an embryo a listener has
  // not handed out) is held by no process either.
  struct socket* sock = sk->sk_socket;
  if (!sock || !sock->file) return 0;
  struct inode* inode = sock->file->f_path.dentry->d_inode;
  if (!inode) return 0;
  struct queue_walk walk = {
      .seq = ctx->meta->seq,
      .socket_ino = inode->i_ino,
      .head = (unsigned long)&sk->sk_receive_queue,
      .skb = (unsigned long)sk->sk_receive_queue.next,
  };
  bpf_loop(DETACH_BPF_INFLIGHT_MESSAGES, read_message, &walk, 0);
  if (walk.truncated || (walk.skb && walk.skb != walk.head)) {
    struct detach_bpf_inflight_file rec;
    __builtin_memset(&rec, 0, sizeof rec);
    rec.socket_ino = walk.socket_ino;
    rec.flags = DETACH_BPF_INFLIGHT_TRUNCATED;
    bpf_seq_write(walk.seq, &rec, sizeof rec);
  }
  return 0;
}

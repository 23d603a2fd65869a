// SPDX-License-Identifier: GPL-2.0-or-later
// What the scan steps share while one Snapshot is being built. Private to libcommon/scan.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kernel/btrfs_sysfs.h"
#include "kernel/ext4_journal.h"
#include "model/snapshot.h"
#include "scan/scan.h"

namespace detach::scan {

struct TaskRef {
  pid_t pid = 0;
  std::uint64_t ns_inode = 0;
};

// A file the kernel holds for a process through an object it has open (an io_uring ring, a unix socket's
// queue), as the BPF source reads it from that object: the mount, device and inode, where /proc gives a path
// or only a count.
struct ExactFile {
  MountKey mount = 0;  // of the snapshot's id kind
  DeviceNumber dev;
  std::uint64_t ino = 0;
};

// One layer of an overlay, read by the BPF source from the overlay itself: its directory's device and inode
// (0 when only the device was read), where the overlay's options give a path.
struct ExactOverlayLayer {
  std::string role;  // as parse_overlay_options names it: "lowerdir", "datadir", "upperdir", "workdir"
  DeviceNumber dev;
  std::uint64_t ino = 0;
};

// A binfmt_misc entry with flag F, read by the BPF source from its instance's own list of entries: the
// interpreter file the kernel holds, where the entry's file gives the path it was registered with.
struct ExactBinfmtEntry {
  DeviceNumber instance;    // its instance's binfmt_misc superblock (the st_dev of the instance's mounts)
  std::string name;         // its first bytes only when name_cut
  std::string interpreter;  // the path it was registered with; its first bytes only when interpreter_cut
  bool name_cut = false;
  bool interpreter_cut = false;
  ExactFile file;
};

struct ExactBinfmtEntries {
  std::vector<ExactBinfmtEntry> entries;
  // Instances that held more entries than were read; an unknown device: one whose first entries were not.
  std::set<DeviceNumber> truncated;
  unsigned read_at_most = 0;  // entries with flag F of one instance
};

// A file registered with an io_uring ring, from the ring's own file table.
struct ExactRingFile {
  pid_t pid = 0;
  pid_t tid = 0;  // the thread whose fd table holds the ring, when not its process's; else 0
  int fd = -1;    // the ring's fd
  unsigned slot = 0;
  ExactFile file;
};

// Files in flight over unix sockets (sent with SCM_RIGHTS, not yet received), from the queued messages.
struct ExactFilesInFlight {
  struct File {
    std::uint64_t socket_ino = 0;  // the receiving socket
    ExactFile file;
  };
  std::vector<File> files;
  std::set<std::uint64_t> truncated;  // sockets whose queue held more than was read
  unsigned messages_read = 0;         // of each socket's queue, at most
  unsigned files_read = 0;            // of each socket's queue, at most
  // Network namespaces whose sockets could not be read: the inode of each, and why.
  std::vector<std::pair<std::uint64_t, std::string>> namespaces_unread;
};

// A "may" pin of files in flight the census made (from a socket's fdinfo count): where it is among the
// snapshot's pins, and the socket's inode.
struct InFlightSocket {
  std::size_t pin = 0;
  std::uint64_t socket_ino = 0;
};

struct ScanState {
  const ScanOptions& options;
  Snapshot& snapshot;
  std::vector<TaskRef> tasks;          // every process, with its mount namespace
  std::set<MountKey> internal_mounts;  // pipefs, sockfs, anon_inodefs, nsfs, pidfs, shm ...
  MountKey nsfs_mount = 0;             // fds on it are namespace handles
  // Every call into a filesystem (in bounded children) ends by then: one bound for the whole snapshot.
  std::chrono::steady_clock::time_point fs_deadline{};
  MountKey sockfs_mount = 0;      // fds on it are sockets
  MountKey anon_inode_mount = 0;  // fds on it are anonymous inodes: io_uring rings among them
  // Mounts known only by their device (kernel-held) that the journal gave a former mount point: the unique id
  // of the mount the record is of. A file held since before that mount was made cannot be on it.
  std::map<MountKey, std::uint64_t> recorded_ids{};
  // sysfs's btrfs filesystems and ext4 journals, read once by the first find_claimed_devices.
  std::optional<BtrfsFilesystems> btrfs{};
  std::optional<Ext4Journals> ext4_journals{};
  // Every ring's registered files, read by the BPF source; none: they are placed from the rings' fdinfo.
  std::optional<std::vector<ExactRingFile>> exact_ring_files{};
  // The layers of overlays that task pins lead to, read by the BPF source, by the overlay's device: every
  // layer, in the order parse_overlay_options gives them (an overlay some of whose layers were not read is
  // not here).
  std::map<DeviceNumber, std::vector<ExactOverlayLayer>> exact_overlays{};
  // The binfmt_misc entries with flag F of every instance a task leads to, read by the BPF source; none: the
  // census places the interpreters by their paths.
  std::optional<ExactBinfmtEntries> exact_binfmt{};
  // The census's pins of files in flight, counted from the sockets' fdinfo: what the BPF source may place.
  std::vector<InFlightSocket> in_flight_sockets{};
  // Counts an error from /proc: vanished tasks are normal, denied ones could change the answer.
  void note_error(int err);
  // Names a process whose entries were refused (once, kept in pid order).
  void note_denied(pid_t pid);
};

// Every process and the inode of its mount namespace.
void list_tasks(ScanState& state);

// Namespaces and their attached mounts: listmount() over NS_MNT_GET_NEXT when the kernel has both
// (unique ids), else one mountinfo per namespace that has a task (old ids).
void list_namespaces(ScanState& state);

// For a namespace no task is in: the nsfs fds and nsfs bind mounts that keep it alive.
void describe_namespace_holders(ScanState& state);

// Every mount key listed by any namespace now (empty without unique ids). Listing again after the pin scan
// tells a mount made during the scan from a detached one.
std::set<MountKey> relist_mount_keys(const ScanState& state);

// Ids of the kernel-internal mounts, learnt from objects of each kind that this process makes.
void learn_internal_mounts(ScanState& state);

// cwd, root, exe, fds, mmaps of every task (and of threads with their own fs or fd table).
void scan_task_pins(ScanState& state);

// Pins whose mount no namespace lists become detached mounts, described from the pin itself.
void find_detached_mounts(ScanState& state);

// A filesystem sysfs shows alive, or a loop device or swap file backed by a file on a filesystem, no mount is
// known of: a detached mount only the kernel holds, keyed by its device. Made once before the journal is
// joined (its record of the device tells where such a filesystem was mounted last) and again after
// add_kernel_pins, for the devices of the pins found since.
void add_kernel_held_mounts(ScanState& state);

// Former mount point, namespace and time of detached mounts, from the journal of this boot's detaches.
void join_detach_journal(ScanState& state);

// Block devices from sysfs: names, numbers, holders, partitions, sizes. Read before the pin scan, so that
// the mounts of stacked devices can be known first.
void read_block_devices(ScanState& state);

// The attached mounts on DEVICES, on their partitions and on what is stacked on them (holders, recursively),
// and those of the filesystems that claim any of them (a log, a journal, a btrfs device: claimed_devices).
std::set<MountKey> mounts_on_stacked_devices(const ScanState& state,
                                             const std::vector<DeviceNumber>& devices);

// The block device PATH names, from what the scan read: "/dev/NAME" by its sysfs name, "/dev/mapper/NAME" by
// its device-mapper name, and (live) any other path through a stat of the node (a path outside /dev bounded:
// its filesystem may not answer). 0:0 when it names none.
DeviceNumber device_named(const ScanState& state, const std::string& path);

// The block device each /dev source names, for mounts whose device number is anonymous (btrfs): their
// source_dev. Those resolved before are left alone, so it runs again once detached mounts are known.
void resolve_mount_sources(ScanState& state);

// Devices filesystems claim besides the one their mounts name (claimed_devices), as the kernel states them:
// xfs logdev= and rtdev= (attached mounts' options, detached ones' from the journal), ext4's jbd2 thread
// named after its journal device, btrfs's devices in sysfs. Also gives every mount of one btrfs one device
// number (a detached mount's is otherwise its subvolume's). Runs twice: before the pin scan (what attached
// mounts claim, so that their pinners get details) and after the journal is joined; the second run starts
// over.
void find_claimed_devices(ScanState& state);

// Loop devices and swap areas, read without the rest of the scan (so they can be read while the tasks are
// scanned: a loop device backed by a file on a dead FUSE server costs its bound meanwhile).
struct KernelFacts {
  std::vector<LoopDevice> loops;
  std::vector<SwapArea> swaps;
  std::vector<ScanNote> unread;  // what could not be read, for the snapshot's gaps
};
KernelFacts read_kernel_facts(const ScanOptions& options);
// The facts into the snapshot, and the kernel pins they make.
void add_kernel_pins(ScanState& state, KernelFacts facts);

// Pins held through objects a process has open, that its /proc links do not show: files registered with an
// io_uring ring, unix sockets bound to a path, files in flight in a unix socket's queue (after the task scan:
// it finds the rings' and sockets' fds).
void add_object_pins(ScanState& state);

// Each "may" pin of files in flight (in_flight_sockets) replaced by what FOUND read of its socket's queue:
// one pin per file, placed on the file's mount, counting how often it waits there; what FOUND did not account
// for (a socket of another network namespace, a queue longer than was read, or one that changed meanwhile)
// stays a "may" pin of the files not found.
void place_files_in_flight(ScanState& state, const ExactFilesInFlight& found);

// The task scan's fds on the anonymous-inode mount whose /proc link reads LINK ("anon_inode:[io_uring]",
// "anon_inode:bpf_link"), each with its fdinfo; an fdinfo that cannot be read is counted (note_error).
struct AnonInodeFd {
  pid_t pid = 0;
  pid_t tid = 0;
  int fd = -1;
  std::string fdinfo;
};
std::vector<AnonInodeFd> anon_inode_fds(ScanState& state, std::string_view link);
// Whether any task pin is such an fd: the links only, no fdinfo read, stopping at the first.
bool holds_anon_inode_fd(const ScanState& state, std::string_view link);

// Pins a mount holds on other filesystems, that only its options or source state: an overlay's layers (by
// device only), a file-backed mount's image file (after the journal is joined: a path may lead through a
// former mount point).
void add_mount_file_pins(ScanState& state);

// Pins the kernel holds for probes and handlers of executables: binfmt_misc interpreters (flag F), uprobe
// events, BPF uprobe links and who holds them (after the task scan: a link's holder is found by its fd).
void add_probe_pins(ScanState& state);

// Filesystems sysfs shows alive (/sys/fs/TYPE/DEVICE), mounted or not (after read_block_devices).
void read_live_filesystems(ScanState& state);

// The filesystem type written on a device a tool asked about (ScanOptions::detail_devices): blkid's answer,
// "" when it found no filesystem, nullopt when it could not read the device.
struct DeviceSignature {
  DeviceNumber dev;
  std::optional<std::string> fs_type;
};
// Reads, bounded, the signature of each of DEVICES that OPTIONS asks about. Touches no scan state: it runs
// beside the task-pin scan (blkid reads each device in a child of its own, which waits more than it
// computes).
std::vector<DeviceSignature> probe_asked_devices(const ScanOptions& options,
                                                 const std::vector<BlockDevice>& devices);
void add_device_signatures(ScanState& state, const std::vector<DeviceSignature>& signatures);

// Command, user and unit of every task that holds a detailed pin.
void describe_tasks(ScanState& state);

}  // namespace detach::scan

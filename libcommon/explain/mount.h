// SPDX-License-Identifier: GPL-2.0-or-later
// "Why is this mount busy?" (the kernel's EBUSY on umount) and "what keeps its filesystem alive once it is
// unmounted?" answered on a Snapshot: as data first (a list of reasons), then as text (mount_text.h).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace detach {

enum class MountReasonKind {
  CallerInside,     // the caller (its shell, or the tool itself) stands in the mount: said first
  Pinned,           // processes pin the mount itself (cwd, root, exe, fds, mmaps)
  Submount,         // a mount inside it: the kernel unmounts no mount that has mounts inside
  LoopBackingFile,  // a loop device backed by a file on its filesystem
  SwapFile,         // an active swap file on its filesystem
  OtherNamespace,   // a mount of the filesystem in another mount namespace (a copy made by unshare, a
                    // container)
  OtherMountHere,   // another mount of the filesystem in the same namespace (a bind mount)
  Detached,         // a lazily detached mount of the filesystem, still pinned
  KernelObject,     // a kernel object that holds its filesystem (an overlay's layer, a file-backed mount's
                    // image, a binfmt_misc interpreter, a uprobe): pins has its pins
  Suspects,         // nothing seen explains it: pins the scan could not place, that MAY hold it
};

struct MountReason {
  MountReasonKind kind = MountReasonKind::Pinned;
  MountKey mount = 0;             // the mount the reason is about (the asked one, a submount, another mount)
  std::string target;             // its mount point (a detached one's former one, when journaled)
  std::vector<std::size_t> pins;  // indexes into Snapshot::pins: what pins that mount
  pid_t caller_pid = 0;           // CallerInside: which process of the caller's chain
  unsigned generation = 0;        // CallerInside: 0 the caller itself, 1 its parent, 2 the grandparent ...
  std::string file;               // LoopBackingFile, SwapFile: the path the kernel shows
  std::string loop;               // LoopBackingFile: "/dev/loop4"
  std::uint64_t ns_inode = 0;     // OtherNamespace: mnt:[INODE]
  std::uint64_t ns_id = 0;        // OtherNamespace: its id (NS_GET_MNTNS_ID), 0 when unknown
  std::vector<pid_t> ns_tasks;    // OtherNamespace: the processes in it (pid order)
  std::vector<std::string> ns_units;          // ... the units or container scopes they run in, once each
  std::vector<std::string> ns_kept_alive_by;  // ... and, when no process is in it, what keeps it alive
};

struct MountReport {
  MountKey mount = 0;  // the mount asked about (0 when it is no longer in the snapshot)
  std::string target;
  DeviceNumber dev;
  std::vector<MountReason> reasons;
};

struct MountQuestion {
  // The caller first, then its parent, its grandparent ... (scan/caller.h caller_chain): their pins are
  // said first, as the one thing the user can act on at once. Empty: nobody is singled out.
  std::vector<pid_t> caller_chain;
};

// Why the kernel refuses to unmount M: the caller's chain inside it, what pins it, its submounts (and their
// pins), loop devices, swap files and other kernel objects on its filesystem, and pinned copies in other
// namespaces (umount propagates to shared ones). A submount's pinners are named with the submount. When none
// of these is seen, what the scan could not place that could be on M, as Suspects.
MountReport explain_busy_mount(const Snapshot& snapshot, const Mount& m, const MountQuestion& question = {});

// What keeps the filesystem DEV alive after mount GONE was unmounted: GONE's own pins when it was lazily
// detached (and is still in the snapshot), every other mount of the filesystem (in this namespace OWN_NS,
// in others, detached ones that are pinned), loop devices, swap files and other kernel objects on it; when
// none of these is seen, what the scan could not place, as Suspects. Empty: nothing keeps it that the scan
// could name or suspect.
MountReport explain_survival(const Snapshot& snapshot, MountKey gone, DeviceNumber dev,
                             std::uint64_t own_ns_inode);

}  // namespace detach

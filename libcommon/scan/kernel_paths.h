// SPDX-License-Identifier: GPL-2.0-or-later
// Where a file lies that the kernel names only by a path, in one of its text files (an io_uring ring's
// fdinfo, an overlay's options, binfmt_misc entries, uprobe_events): the kernel holds the file itself, not
// the path, so the path is matched with care. Private to libcommon/scan.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/pin.h"
#include "scan/scan_state.h"

namespace detach::scan {

struct KernelPath {
  std::string path;     // as the kernel printed it (unescaped)
  pid_t seen_from = 0;  // resolve it under /proc/PID/root: a process of the namespace it belongs to; 0: ours
  // Not to be looked up at all: the namespace it belongs to has no process to look through (or is gone).
  // Only a journaled former mount point can place it then. WHY says so when it cannot.
  bool no_lookup = false;
  std::string no_lookup_why{};
  // The namespace its path is in (NS_GET_MNTNS_ID), 0 when unknown: a former mount point journaled in
  // another namespace is no match.
  std::uint64_t ns_id = 0;
  // The unique id of the mount that holds the file (an overlay, a file-backed mount), 0 when none: the file
  // lies on a mount made before it, since unique ids only grow. A path that now leads to a younger mount
  // (mounted over the place since) does not lead to the file.
  std::uint64_t made_before = 0;
  // As the holder was given it (a mount's option or source), so it may be relative: to the directory the
  // mounter was in, which nothing shows now. (A path the kernel prints of a file it holds is absolute, or a
  // name such as "anon_inode:[x]" that is on no filesystem a user has.)
  bool as_given = false;
};

struct PathPlace {
  MountKey mount = 0;  // 0 with dev set: the filesystem is known, not the mount
  DeviceNumber dev;
  std::uint64_t ino = 0;
  // Matched to a lazily detached mount by its former mount point (the journal's): the path leads through
  // the place that mount left, to the filesystem that was under it then, or nowhere.
  bool by_former_target = false;
  std::string error;     // not placed: why ("No such file or directory", "its filesystem did not answer")
  bool nowhere = false;  // not placed, because the path leads to nothing now (not because a lookup timed out)
  bool placed() const { return mount != 0 || dev != DeviceNumber{}; }
};

// Places each of PATHS, in order: a path that resolves now (statx in a bounded child: a lookup may call into
// a dead FUSE or NFS server) is on the mount it resolves to, unless it leads through the former mount point
// of a lazily detached mount to the filesystem that was under it (then it is on that detached mount, said
// so), or to a mount younger than the one holding the file (made_before); a path that does not resolve but
// lies under such a former mount point is on that mount too. A former mount point is a journaled one: of a
// lazily detached mount, or of the kernel-held mount of a filesystem whose last mount was lazily detached or
// unmounted (the journal's record of its device). Any other path, and a relative one (relative to a
// directory the kernel does not show), is not placed: what holds it MAY hold any filesystem nothing else
// explains.
std::vector<PathPlace> place_kernel_paths(const ScanState& state, const std::vector<KernelPath>& paths);

// Where the BPF source says FILE is, read from the kernel object that holds it: its mount, exactly. A mount
// the snapshot does not know (a detached one no task pin leads to) leaves the filesystem known by its device.
PathPlace exact_place(const ScanState& state, const ExactFile& file);

// PLACE into PIN's mount, dev and ino, and its flag.
void place_pin(Pin& pin, const PathPlace& place);

}  // namespace detach::scan

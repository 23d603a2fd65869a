// SPDX-License-Identifier: GPL-2.0-or-later
// What our umount adds around libmount's: before a umount it notes the mount (its ids, and a watch on its
// filesystem that pins nothing); after a "target is busy" it says why; after a umount that worked it records
// a lazy detach (or a plain umount its filesystem outlived) in the journal, says what keeps the filesystem
// alive, and with --wait waits for its end. Nothing here changes what libmount does or what it prints.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "context.h"
#include "explain/mount_text.h"
#include "model/mount.h"
#include "options.h"
#include "scan/caller.h"
#include "scan/fs_end.h"

namespace umount_tool {

// The mount a umount is about to act on, as it was while attached.
struct Capture {
  bool known = false;  // found in the mount table and identified
  // libmount's entry (target, source, fstype; vfs_options: libmount's list, the per-mount and superblock
  // options merged already, with utab's user options: the journal keeps it as it is) with the kernel's ids of
  // the mount at its target.
  detach::Mount mount;
  std::string device;  // the block device to see free at the end ("" for none: tmpfs, NFS, btrfs ...)
  std::optional<std::size_t> watch;  // its entry in the FsEndWatch
  // Its filesystem did not answer a stat of the target within the bound (a dead FUSE or NFS server); asked
  // only where it could change what umount does: root, and the target given as the table has it.
  bool unanswering = false;
};

class Aftermath {
 public:
  Aftermath(Context& ctx, const Config& cfg) : ctx_(ctx), cfg_(cfg), for_user_(privileged_for_user()) {}

  // Before mnt_context_umount(), the target set: what libmount's own lookup finds for SPEC.
  Capture capture(const char* spec);
  // After util-linux's "TARGET: target is busy.": why (unless -q).
  void explain_busy(const Capture& cap);
  // After a umount that worked.
  void after_success(const Capture& cap);
  // After every umount: --wait for the filesystems they left alive. 0, or MNT_EX_FAIL when it timed out.
  int finish_waiting();

 private:
  struct Told {
    std::string pinners;             // of the mount, for the journal
    std::vector<std::string> lines;  // what to say
  };
  Told survey(const Capture& cap, detach::Survival when, const std::string& waited = {});
  // Records the umount CAP was about in the journal: a lazy detach, or (UNMOUNTED) a plain umount whose
  // filesystem lives on, so that a path the kernel keeps under its former mount point (an overlay's layer)
  // is matched to its device later.
  void record_umount(const Capture& cap, const std::string& pinners, bool unmounted);
  bool ended(const Capture& cap);

  Context& ctx_;
  const Config& cfg_;
  // A setuid umount run by a user (known at the start, before any privilege is dropped): its scans run as
  // that user and read /proc, never BPF.
  const bool for_user_;
  std::optional<detach::FsEndWatch> watch_;
  std::vector<Capture> waiting_;
};

// "umount: TARGET: FIRST" and the further lines below it, indented as util-linux indents its hints.
void print_lines(const std::string& target, const std::vector<std::string>& lines);

}  // namespace umount_tool

// SPDX-License-Identifier: GPL-2.0-or-later
#include "claims.h"

#include "uses.h"

namespace fuser {
namespace {

// The mount to name the filesystem by: an attached one first (where a user finds it), else a detached one.
const detach::Mount* mount_of(const detach::Snapshot& snap, detach::DeviceNumber fs_dev) {
  if (fs_dev == detach::DeviceNumber{}) return nullptr;
  const detach::Mount* detached = nullptr;
  for (const auto& [key, m] : snap.mounts) {
    if (m.dev != fs_dev || m.unverified) continue;
    if (m.attached) return &m;
    if (detached == nullptr) detached = &m;
  }
  return detached;
}

}  // namespace

std::string claim_words(const detach::Snapshot& snap, const detach::ClaimedDevice& claim) {
  std::string what = std::string(detach::claim_role_words(claim.role, detach::Words::program())) + " of " +
                     (claim.fstype.empty() ? "a filesystem" : claim.fstype);
  if (!claim.fs_device.empty())
    what += " " + claim.fs_device;
  else if (!claim.fs_uuid.empty())
    what += " " + claim.fs_uuid;
  const detach::Mount* m = mount_of(snap, claim.fs_dev);
  if (m == nullptr) return "(" + what + ")";
  if (m->attached) return m->target + " (" + what + ")";
  if (m->target.empty()) return "(" + what + ", detached; mount point not recorded)";
  return m->target + " (" + what + ", detached)";
}

void add_claim_rows(Report& r, const detach::Snapshot& snap, detach::DeviceNumber dev) {
  for (const detach::ClaimedDevice* claim : snap.claims_on(dev))
    add_kernel(r, KernelKind::FsDevice, claim_words(snap, *claim));
}

}  // namespace fuser

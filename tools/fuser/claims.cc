// SPDX-License-Identifier: GPL-2.0-or-later
#include "claims.h"

#include "base/i18n.h"
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

// "external log device of xfs /dev/loop3": the claim, and the filesystem by its type and its device (or
// UUID).
std::string claim_what(const detach::ClaimedDevice& claim) {
  const detach::Words words = detach::Words::person();
  const std::string role = detach::claim_role_words(claim.role, words);
  const std::string& fs = claim.fs_device.empty() ? claim.fs_uuid : claim.fs_device;
  // TRANSLATORS: {0} is a device's role ("external log device"), {1} a filesystem type, {2} the filesystem's
  // device or UUID.
  if (!claim.fstype.empty() && !fs.empty()) return words.trf("{0} of {1} {2}", role, claim.fstype, fs);
  // TRANSLATORS: {0} is a device's role ("external log device"), {1} a filesystem type.
  if (!claim.fstype.empty()) return words.trf("{0} of {1}", role, claim.fstype);
  // TRANSLATORS: {0} is a device's role ("external log device"), {1} the filesystem's device or UUID.
  if (!fs.empty()) return words.trf("{0} of a filesystem {1}", role, fs);
  return words.trf("{0} of a filesystem", role);
}

}  // namespace

std::string claim_words(const detach::Snapshot& snap, const detach::ClaimedDevice& claim) {
  const std::string what = claim_what(claim);
  const detach::Mount* m = mount_of(snap, claim.fs_dev);
  if (m == nullptr) return "(" + what + ")";
  if (m->attached) return m->target + " (" + what + ")";
  // The words of a detached mount's own row (detached_words).
  if (m->target.empty()) return detach::trf("({0}, detached; mount point not recorded)", what);
  return detach::trf("{1} ({0}, detached)", what, m->target);
}

void add_claim_rows(Report& r, const detach::Snapshot& snap, detach::DeviceNumber dev) {
  for (const detach::ClaimedDevice* claim : snap.claims_on(dev))
    add_kernel(r, KernelKind::FsDevice, claim_words(snap, *claim));
}

}  // namespace fuser

// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/device_text.h"
#include "explain/pinner.h"

namespace detach {
namespace {

using json = nlohmann::ordered_json;

json pinners_of(const Snapshot& snapshot, const std::vector<std::size_t>& pins) {
  return pinners_json(snapshot, group_pinners(snapshot.pins_at(pins)));
}

// "id" and "uniq-id", as findmnt's ID and UNIQ-ID columns name them; null when the kernel gave none.
void add_mount_ids(const Snapshot& snapshot, MountKey key, json& out) {
  const Mount* m = snapshot.mount(key);
  out["id"] = m && m->old_id ? json(m->old_id) : json(nullptr);
  out["uniq-id"] = m && m->unique_id ? json(m->unique_id) : json(nullptr);
}

json reasons_json(const Snapshot& snapshot, const std::vector<Reason>& reasons);

// Only the fields that belong to the kind, so that consumers can rely on the shape of each kind.
void add_fields(const Snapshot& snapshot, const Reason& r, json& out) {
  switch (r.kind) {
    case ReasonKind::Mounted:
      out["target"] = r.target;
      out["namespace"] = r.ns_inode;
      out["other-namespace"] = r.other_namespace;
      if (r.other_namespace) {
        out["namespace-unit"] = r.ns_unit.empty() ? json(nullptr) : json(r.ns_unit);
        out["namespace-tasks"] = r.ns_tasks;
        out["namespace-kept-alive-by"] = r.ns_kept_alive_by;
      }
      add_mount_ids(snapshot, r.mount, out);
      out["fstype"] = r.fstype;
      out["pinners"] = pinners_of(snapshot, r.pins);
      break;
    case ReasonKind::DetachedPinned:
      out["fstype"] = r.fstype;
      add_mount_ids(snapshot, r.mount, out);
      out["former-target"] = r.target.empty() ? json(nullptr) : json(r.target);
      out["pinners"] = pinners_of(snapshot, r.pins);
      out["suspects"] = pinners_of(snapshot, r.suspects);
      break;
    case ReasonKind::SwapPartition:
      out["path"] = r.file;
      break;
    case ReasonKind::SwapFileOnFs:
      out["file"] = r.file;
      out["certain"] = r.certain;
      break;
    case ReasonKind::LoopBackingFile:
      out["loop"] = r.loop;
      out["file"] = r.file;
      out["backing-device"] = r.backing_device;
      break;
    case ReasonKind::Holder:
      out["holder"] = r.holder;
      out["type"] = r.holder_type.empty() ? json(nullptr) : json(r.holder_type);
      out["name"] = r.dm_name.empty() ? json(nullptr) : json(r.dm_name);
      if (!r.md_level.empty()) out["md-level"] = r.md_level;
      out["reasons"] = reasons_json(snapshot, r.nested);
      break;
    case ReasonKind::FilesystemDevice:
      out["role"] = claim_role_name(r.role);
      out["fstype"] = r.fstype;
      out["filesystem"] = r.filesystem.empty() ? json(nullptr) : json(r.filesystem);
      out["uuid"] = r.fs_uuid.empty() ? json(nullptr) : json(r.fs_uuid);
      out["reasons"] = reasons_json(snapshot, r.nested);
      break;
    case ReasonKind::PartitionBusy:
      out["partition"] = r.partition;
      out["reasons"] = reasons_json(snapshot, r.nested);
      break;
    case ReasonKind::OpenForWriting:
    case ReasonKind::OpenedBy:
      out["pinners"] = pinners_of(snapshot, r.pins);
      break;
    case ReasonKind::ExclusiveOpener:
      // Which of them holds the claim, /proc does not say: every one MAY.
      out["certain"] = r.certain;
      out["pinners"] = pinners_of(snapshot, r.pins);
      out["suspects"] = pinners_of(snapshot, r.suspects);
      break;
    case ReasonKind::UnboundLoop:
      break;
    case ReasonKind::ZeroSize:
      out["loop-backing-file"] = r.file.empty() ? json(nullptr) : json(r.file);
      break;
    case ReasonKind::Unknown:
      out["suspects"] = pinners_of(snapshot, r.suspects);
      out["unseen"] = r.unseen;
      break;
  }
}

json reasons_json(const Snapshot& snapshot, const std::vector<Reason>& reasons) {
  json out = json::array();
  for (const Reason& r : reasons) {
    json one = json::object();
    one["kind"] = reason_kind_name(r.kind);
    add_fields(snapshot, r, one);
    out.push_back(std::move(one));
  }
  return out;
}

}  // namespace

json to_json(const Snapshot& snapshot, const DeviceReport& report, bool with_checks) {
  json out = json::object();
  out["device"] = report.device;
  out["busy"] = report.busy();
  out["status"] = device_status_name(report.status);
  out["claimed"] = report.claim == Claim::Unchecked ? json(nullptr) : json(report.claim == Claim::Claimed);
  if (report.claim == Claim::Unchecked) out["claim-error"] = report.claim_error;
  out["reasons"] = reasons_json(snapshot, report.reasons);
  if (with_checks) out["checks"] = checks_made(snapshot, report, Words::program());
  return out;
}

}  // namespace detach

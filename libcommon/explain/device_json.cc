#include "explain/device_text.h"

namespace detach {
namespace {

using json = nlohmann::ordered_json;

json pinner_json(const Snapshot& snapshot, const Pin& pin) {
  json out = json::object();
  if (is_task_pin(pin.kind)) {
    out["pid"] = pin.pid;
    if (pin.tid != 0 && pin.tid != pin.pid) out["tid"] = pin.tid;
    const Task* task = snapshot.task(pin.pid);
    out["command"] = task ? task->command : "";
    out["user"] = task ? task->user : "";
    out["unit"] = task ? task->unit : "";
  } else {
    out["kernel"] = pin_kind_name(pin.kind);
  }
  out["how"] = pin.how();
  return out;
}

json pinners_json(const Snapshot& snapshot, const std::vector<std::size_t>& pins) {
  json out = json::array();
  for (std::size_t i : pins) out.push_back(pinner_json(snapshot, snapshot.pins[i]));
  return out;
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
        out["namespace-tasks"] = r.ns_tasks;
        out["namespace-kept-alive-by"] = r.ns_kept_alive_by;
      }
      out["mount-id"] = r.mount;
      out["fstype"] = r.fstype;
      out["pinners"] = pinners_json(snapshot, r.pins);
      break;
    case ReasonKind::DetachedPinned:
      out["fstype"] = r.fstype;
      out["mount-id"] = r.mount;
      out["former-target"] = r.target.empty() ? json(nullptr) : json(r.target);
      out["pinners"] = pinners_json(snapshot, r.pins);
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
      out["name"] = r.dm_name.empty() ? json(nullptr) : json(r.dm_name);
      if (!r.md_level.empty()) out["md-level"] = r.md_level;
      out["reasons"] = reasons_json(snapshot, r.nested);
      break;
    case ReasonKind::PartitionBusy:
      out["partition"] = r.partition;
      out["reasons"] = reasons_json(snapshot, r.nested);
      break;
    case ReasonKind::OpenedBy:
      out["pinners"] = pinners_json(snapshot, r.pins);
      break;
    case ReasonKind::Unknown:
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

json to_json(const Snapshot& snapshot, const DeviceReport& report) {
  json out = json::object();
  out["device"] = report.device;
  out["busy"] = report.busy;
  out["reasons"] = reasons_json(snapshot, report.reasons);
  return out;
}

}  // namespace detach

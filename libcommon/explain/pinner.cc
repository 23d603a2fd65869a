// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/pinner.h"

#include <algorithm>

#include "explain/printable.h"

namespace detach {
namespace {

// How much of a pinner's summary is spelled out; the rest is counted.
constexpr std::size_t kMaxFdRanges = 4;
constexpr std::size_t kMaxMmaps = 3;

struct FdRange {
  int first;
  int last;
};

// A pinner's fds of one access mode, as ranges of consecutive numbers in fd order.
struct FdGroup {
  Access access;
  std::vector<FdRange> ranges;
  const Pin* only = nullptr;  // the pin, when the group is one fd (its path is worth showing)
  std::size_t count = 0;
};

std::vector<FdGroup> fd_groups(const Pinner& pinner) {
  std::vector<FdGroup> groups;
  for (const Pin* pin : pinner.pins) {
    if (pin->kind != PinKind::Fd) continue;
    auto it =
        std::find_if(groups.begin(), groups.end(), [&](const FdGroup& g) { return g.access == pin->access; });
    if (it == groups.end()) it = groups.insert(groups.end(), FdGroup{pin->access, {}, nullptr, 0});
    const int last = pin->fd_last > pin->fd ? pin->fd_last : pin->fd;
    if (!it->ranges.empty() && it->ranges.back().last + 1 == pin->fd)
      it->ranges.back().last = last;
    else
      it->ranges.push_back({pin->fd, last});
    it->count += pin->fd_count();
    it->only = it->count == 1 ? pin : nullptr;
  }
  return groups;
}

std::string range_text(const FdRange& r) {
  return r.first == r.last ? std::to_string(r.first) : std::to_string(r.first) + "-" + std::to_string(r.last);
}

// "fd 3-1002 (read)", "fd 3,5,7,9 and 996 more (read)"
std::string fd_group_text(const FdGroup& g) {
  std::string out = "fd ";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < g.ranges.size() && i < kMaxFdRanges; ++i) {
    out += (i ? "," : "") + range_text(g.ranges[i]);
    shown += static_cast<std::size_t>(g.ranges[i].last - g.ranges[i].first) + 1;
  }
  if (shown < g.count) out += " and " + std::to_string(g.count - shown) + " more";
  if (g.access != Access::Unknown) out += std::string(" (") + access_name(g.access) + ")";
  return out;
}

void append(std::string& out, const std::string& item) {
  out += (out.empty() ? "" : ", ") + item;
}

std::string task_name(const Snapshot& snapshot, const Pinner& pinner) {
  std::string out = std::to_string(pinner.pid);
  if (pinner.kind == PinnerKind::Thread) out += "/" + std::to_string(pinner.tid);
  // Command names may hold newlines too (prctl PR_SET_NAME): escaped like paths.
  if (const Task* task = snapshot.task(pinner.pid)) out += " (" + printable(task->command) + ")";
  return out;
}

using json = nlohmann::ordered_json;

json text_or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(escape_invalid_utf8(text));
}

json fd_json(const std::vector<FdRange>& ranges, Access access, const std::string& path) {
  json one = json::object();
  one["kind"] = "fd";
  json numbers = json::array();
  for (const FdRange& r : ranges) numbers.push_back(json::array({r.first, r.last}));
  one["fds"] = std::move(numbers);
  one["access"] = access == Access::Unknown ? json(nullptr) : json(access_name(access));
  one["path"] = text_or_null(path);
  return one;
}

json pin_json(const Pin& pin) {
  if (pin.kind == PinKind::Fd)
    return fd_json({{pin.fd, pin.fd_last > pin.fd ? pin.fd_last : pin.fd}}, pin.access, pin.path);
  json one = json::object();
  one["kind"] = pin_kind_name(pin.kind);
  // The ring, socket or link the process holds it through.
  if (is_task_pin(pin.kind) && !is_proc_link_pin(pin.kind)) one["fd"] = pin.fd;
  if (!pin.role.empty())
    one[pin.kind == PinKind::OverlayLayer ? "layer" : "probe"] = escape_invalid_utf8(pin.role);
  if (pin.kind == PinKind::FilesInFlight) one["count"] = pin.count;
  one["path"] = text_or_null(pin.path);
  if (pin.by_former_target) one["matched-by-former-target"] = true;
  return one;
}

json pins_json(const Pinner& pinner, bool each_pin) {
  json out = json::array();
  for (const Pin* pin : pinner.pins)
    if (each_pin || pin->kind != PinKind::Fd) out.push_back(pin_json(*pin));
  if (each_pin) return out;
  // fds after cwd, root and exe, before mmaps: the order summarize_pins reads them in.
  auto mmaps = std::find_if(out.begin(), out.end(), [](const json& j) { return j["kind"] == "mmap"; });
  std::size_t at = static_cast<std::size_t>(mmaps - out.begin());
  for (const FdGroup& g : fd_groups(pinner))
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(at++),
               fd_json(g.ranges, g.access, g.only ? g.only->path : std::string()));
  return out;
}

// A kernel pinner's pins in words, for the kinds whose pins say more than the pinner's name: an overlay's
// layers ("lowerdir, upperdir, workdir"), a binfmt_misc entry's interpreter, a uprobe's file.
std::string summarize_kernel_pins(const Pinner& pinner) {
  std::string out;
  std::vector<std::string> layers;  // several lower layers on one fs read as one "lowerdir"
  bool by_former_target = false;
  for (const Pin* pin : pinner.pins) {
    by_former_target = by_former_target || pin->by_former_target;
    switch (pin->kind) {
      case PinKind::OverlayLayer:
        if (std::find(layers.begin(), layers.end(), pin->role) == layers.end()) {
          layers.push_back(pin->role);
          append(out, printable(pin->role));
        }
        break;
      case PinKind::BackingFile:
      case PinKind::BinfmtInterpreter:
      case PinKind::Uprobe:
        append(out, printable(pin->how()));
        break;
      default:
        break;
    }
  }
  if (by_former_target && !out.empty()) out += "; found by the former mount point";
  return out;
}

}  // namespace

std::string summarize_pins(const Pinner& pinner) {
  if (pinner.kind == PinnerKind::Kernel) return summarize_kernel_pins(pinner);
  std::string out;
  bool fds_done = false;
  std::size_t mmaps = 0, mmaps_shown = 0;
  for (const Pin* pin : pinner.pins) {
    if (pin->kind == PinKind::Fd) {
      if (!fds_done)
        for (const FdGroup& g : fd_groups(pinner)) append(out, fd_group_text(g));
      fds_done = true;
    } else if (pin->kind == PinKind::Mmap) {
      ++mmaps;
      if (mmaps_shown < kMaxMmaps)
        append(out, "mmap" + (pin->path.empty() ? "" : " " + printable(pin->path)));
      mmaps_shown = std::min(mmaps, kMaxMmaps);
    } else {
      append(out, printable(pin->how()));
    }
  }
  if (mmaps > mmaps_shown) out += " and " + std::to_string(mmaps - mmaps_shown) + " more mmaps";
  return out;
}

std::string pinner_name(const Snapshot& snapshot, const Pinner& pinner) {
  if (pinner.kind != PinnerKind::Kernel) return task_name(snapshot, pinner);
  std::string out = kernel_pinner_word(pinner.kernel_kind);
  if (!pinner.holder.empty()) out += " " + printable(pinner.holder);
  return out;
}

std::string describe_pinner(const Snapshot& snapshot, const Pinner& pinner) {
  std::string summary = summarize_pins(pinner);
  std::string name = pinner_name(snapshot, pinner);
  if (summary.empty()) return name;
  return pinner.kind == PinnerKind::Kernel ? name + " (" + summary + ")" : name + " " + summary;
}

const char* kernel_pinner_word(PinKind kind) {
  switch (kind) {
    case PinKind::SwapFile:
      return "swap file";
    case PinKind::OverlayLayer:
      return "overlay";
    case PinKind::BackingFile:
      return "file-backed mount";
    case PinKind::BinfmtInterpreter:
      return "binfmt_misc entry";
    default:
      return pin_kind_name(kind);
  }
}

std::string describe_pinners(const Snapshot& snapshot, const std::vector<Pinner>& pinners,
                             std::size_t max_pinners, std::size_t max_chars) {
  std::string out;
  std::size_t shown = 0;
  for (; shown < pinners.size() && shown < max_pinners; ++shown) {
    std::string one = describe_pinner(snapshot, pinners[shown]);
    // The first pinner is always named, however long: a list that names nobody helps nobody.
    if (shown > 0 && out.size() + one.size() + 2 > max_chars) break;
    out += (shown ? ", " : "") + one;
  }
  if (shown < pinners.size()) out += " and " + std::to_string(pinners.size() - shown) + " more";
  return out;
}

std::string describe_pins(const Snapshot& snapshot, const std::vector<const Pin*>& pins,
                          std::size_t max_pinners, std::size_t max_chars) {
  return describe_pinners(snapshot, group_pinners(pins), max_pinners, max_chars);
}

const char* pinner_kind_name(const Pinner& pinner) {
  switch (pinner.kind) {
    case PinnerKind::Process:
      return "process";
    case PinnerKind::Thread:
      return "thread";
    case PinnerKind::Kernel:
      break;
  }
  switch (pinner.kernel_kind) {
    case PinKind::LoopBacking:
      return "loop";
    case PinKind::SwapFile:
      return "swap-file";
    case PinKind::OtherMount:
      return "mount";
    case PinKind::NsfsFd:
      return "namespace-holder";
    case PinKind::OverlayLayer:
      return "overlay";
    case PinKind::BackingFile:
      return "file-backed-mount";
    case PinKind::BinfmtInterpreter:
      return "binfmt_misc";
    case PinKind::Uprobe:
      return "uprobe";
    default:
      return "kernel";
  }
}

json pinner_json(const Snapshot& snapshot, const Pinner& pinner, bool each_pin) {
  json out = json::object();
  out["kind"] = pinner_kind_name(pinner);
  if (pinner.kind == PinnerKind::Kernel) {
    out["holder"] = text_or_null(pinner.holder);
  } else {
    const Task* task = snapshot.task(pinner.pid);
    out["pid"] = pinner.pid;
    out["tid"] = pinner.kind == PinnerKind::Thread ? json(pinner.tid) : json(nullptr);
    out["command"] = task ? text_or_null(task->command) : json(nullptr);
    out["user"] = task ? text_or_null(task->user) : json(nullptr);
    out["unit"] = task ? text_or_null(task->unit) : json(nullptr);
  }
  // The HOW column's words, for scripts that print rather than parse.
  out["how"] = escape_invalid_utf8(pinner.kind == PinnerKind::Kernel ? describe_pinner(snapshot, pinner)
                                                                     : summarize_pins(pinner));
  // false: the kernel did not say which filesystem its pins are on; it MAY hold this one (Pin::placed).
  out["certain"] = certain(pinner);
  out["pins"] = pins_json(pinner, each_pin);
  return out;
}

json pinners_json(const Snapshot& snapshot, const std::vector<Pinner>& pinners, bool each_pin) {
  json out = json::array();
  for (const Pinner& p : pinners) out.push_back(pinner_json(snapshot, p, each_pin));
  return out;
}

}  // namespace detach

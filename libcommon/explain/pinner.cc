// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/pinner.h"

#include <algorithm>
#include <charconv>

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
std::string fd_group_text(const FdGroup& g, const Words& words) {
  std::string numbers;
  std::size_t shown = 0;
  for (std::size_t i = 0; i < g.ranges.size() && i < kMaxFdRanges; ++i) {
    numbers += (i ? "," : "") + range_text(g.ranges[i]);
    shown += static_cast<std::size_t>(g.ranges[i].last - g.ranges[i].first) + 1;
  }
  // TRANSLATORS: {0} lists what is named (pinners, descriptors), {1} counts the rest.
  if (shown < g.count) numbers = words.trf("{0} and {1} more", numbers, g.count - shown);
  if (g.access == Access::Unknown) return "fd " + numbers;
  return words.trf("fd {0} ({1})", numbers, access_name(g.access, words));
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

// What a kernel pin's role is, as its JSON key: an overlay's layer, a binfmt_misc entry's instance (its mount
// point), a probe's definition or kind.
const char* role_key(PinKind kind) {
  switch (kind) {
    case PinKind::OverlayLayer:
      return "layer";
    case PinKind::BinfmtInterpreter:
      return "instance";
    default:
      return "probe";
  }
}

// A BPF link's id (kept as its holder's text), null when it is none.
json link_id(const std::string& holder) {
  std::uint32_t id = 0;
  auto [end, ec] = std::from_chars(holder.data(), holder.data() + holder.size(), id);
  return ec == std::errc() && end == holder.data() + holder.size() && !holder.empty() ? json(id)
                                                                                      : json(nullptr);
}

json pin_json(const Pin& pin) {
  if (pin.kind == PinKind::Fd)
    return fd_json({{pin.fd, pin.fd_last > pin.fd ? pin.fd_last : pin.fd}}, pin.access, pin.path);
  json one = json::object();
  one["kind"] = pin_kind_name(pin.kind);
  // The ring, socket or link the process holds it through.
  if (is_task_pin(pin.kind) && !is_proc_link_pin(pin.kind)) one["fd"] = pin.fd;
  if (!pin.role.empty()) one[role_key(pin.kind)] = escape_invalid_utf8(pin.role);
  if (pin.kind == PinKind::BpfLink || pin.kind == PinKind::KernelBpfLink)
    one["link-id"] = link_id(pin.holder);
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
std::string summarize_kernel_pins(const Pinner& pinner, const Words& words) {
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
      case PinKind::KernelBpfLink:
        append(out, printable(pin->how(words)));
        break;
      default:
        break;
    }
  }
  // TRANSLATORS: {0} lists an object's pins; it was found by the path a lazily unmounted mount had.
  if (by_former_target && !out.empty()) out = words.trf("{0}; found by the former mount point", out);
  return out;
}

// Processes named in the words about the mount a kernel pinner holds through: enough to act on.
constexpr std::size_t kMaxHolderPinners = 3;

// The mount a kernel object holds through (an overlay, a file-backed mount), when the snapshot has it.
const Mount* held_through(const Snapshot& snapshot, const Pinner& pinner) {
  if (pinner.kind != PinnerKind::Kernel || pinner.via == 0) return nullptr;
  return snapshot.mount(pinner.via);
}

// " in mount namespace mnt:[4026532187] of docker-ab12.scope": where a mount in a namespace other than the
// snapshot's own is, and whose that namespace is (the unit or container scope of its first process, else the
// process); empty for the snapshot's own namespace, or when that is unknown.
std::string namespace_words(const Snapshot& snapshot, const Mount& m, const Words& words) {
  if (!m.attached || m.ns_inode == 0 || snapshot.own_ns_inode == 0 || m.ns_inode == snapshot.own_ns_inode)
    return "";
  const std::string name = "mnt:[" + std::to_string(m.ns_inode) + "]";
  for (const Namespace& ns : snapshot.namespaces) {
    if (ns.inode != m.ns_inode || ns.tasks.empty()) continue;
    const pid_t first = *std::min_element(ns.tasks.begin(), ns.tasks.end());
    const Task* task = snapshot.task(first);
    // TRANSLATORS: {0} names a mount namespace ("mnt:[4026532187]"), {1} the unit of its processes.
    if (task != nullptr && !task->unit.empty())
      return " " + words.trf("in mount namespace {0} of {1}", name, printable(task->unit));
    const std::string process =
        std::to_string(first) + (task != nullptr ? " (" + printable(task->command) + ")" : "");
    // TRANSLATORS: {0} names a mount namespace, {1} its first process: "12 (nginx)".
    return " " + words.trf("in mount namespace {0} of process {1}", name, process);
  }
  // TRANSLATORS: {0} names a mount namespace: "mnt:[4026532187]".
  return " " + words.trf("in mount namespace {0}", name);
}

// The processes that keep a lazily detached mount M alive, in words ("1234 (bash) cwd"): through them the
// user reaches what a kernel object holding through M holds. Kernel objects on M are left out (they would
// lead on and on).
std::vector<const Pin*> process_pins_keeping(const Snapshot& snapshot, const Mount& m) {
  std::vector<const Pin*> pins = snapshot.pins_at(snapshot.pins_keeping(m));
  std::erase_if(pins, [](const Pin* p) { return !is_task_pin(p->kind); });
  return pins;
}

// "lazily unmounted, pinned by 1234 (bash) cwd": the state of the mount a kernel object holds through, when
// it is no longer attached; empty while it is.
std::string held_through_state(const Snapshot& snapshot, const Pinner& pinner, const Words& words) {
  const Mount* m = held_through(snapshot, pinner);
  if (m == nullptr || m->attached) return "";
  std::string pinners = describe_pins(snapshot, process_pins_keeping(snapshot, *m), words, kMaxHolderPinners);
  // TRANSLATORS: the state of the mount an overlay or file-backed mount holds through.
  if (pinners.empty()) return words.tr("lazily unmounted");
  // TRANSLATORS: {0} lists processes and their pins: "12 (bash) cwd".
  return words.trf("lazily unmounted, pinned by {0}", pinners);
}

// The mount a kernel object holds through (an overlay, a file-backed mount): where it is, whether it is still
// attached, and, once detached, the processes that keep it (the ones to end for the object to go).
json held_through_json(const Snapshot& snapshot, const Mount& m) {
  json out = json::object();
  out["uniq-id"] = m.unique_id != 0 ? json(m.unique_id) : json(nullptr);
  out["target"] = text_or_null(m.target);
  out["attached"] = m.attached;
  const bool elsewhere =
      m.attached && m.ns_inode != 0 && snapshot.own_ns_inode != 0 && m.ns_inode != snapshot.own_ns_inode;
  out["namespace"] = elsewhere ? json(m.ns_inode) : json(nullptr);
  json pinners = json::array();
  if (!m.attached)
    for (const Pinner& p : group_pinners(process_pins_keeping(snapshot, m)))
      pinners.push_back(pinner_json(snapshot, p));
  out["pinners"] = std::move(pinners);
  return out;
}

}  // namespace

std::string summarize_pins(const Pinner& pinner, const Words& words) {
  if (pinner.kind == PinnerKind::Kernel) return summarize_kernel_pins(pinner, words);
  std::string out;
  bool fds_done = false;
  std::size_t mmaps = 0, mmaps_shown = 0;
  for (const Pin* pin : pinner.pins) {
    if (pin->kind == PinKind::Fd) {
      if (!fds_done)
        for (const FdGroup& g : fd_groups(pinner)) append(out, fd_group_text(g, words));
      fds_done = true;
    } else if (pin->kind == PinKind::Mmap) {
      ++mmaps;
      if (mmaps_shown < kMaxMmaps)
        append(out, "mmap" + (pin->path.empty() ? "" : " " + printable(pin->path)));
      mmaps_shown = std::min(mmaps, kMaxMmaps);
    } else {
      append(out, printable(pin->how(words)));
    }
  }
  // TRANSLATORS: {0} lists a process's pins, mmaps among them; {1} counts its mmaps not named.
  if (mmaps > mmaps_shown)
    out = words.trnf("{0} and {1} more mmap", "{0} and {1} more mmaps", mmaps - mmaps_shown, out,
                     mmaps - mmaps_shown);
  return out;
}

std::string pinner_name(const Snapshot& snapshot, const Pinner& pinner, const Words& words) {
  if (pinner.kind != PinnerKind::Kernel) return task_name(snapshot, pinner);
  std::string out = kernel_pinner_word(pinner.kernel_kind, words);
  const Mount* via = held_through(snapshot, pinner);
  if (!pinner.holder.empty())
    out += " " + printable(pinner.holder);
  else if (via != nullptr && via->unique_id != 0)
    // TRANSLATORS: {0} is a kind of kernel object ("overlay"), {1} the id of the mount it is.
    out = words.trf("{0} mount {1} (mount point not recorded)", out, via->unique_id);
  if (via != nullptr) out += namespace_words(snapshot, *via, words);
  return out;
}

std::string describe_pinner(const Snapshot& snapshot, const Pinner& pinner, const Words& words) {
  std::string summary = summarize_pins(pinner, words);
  std::string name = pinner_name(snapshot, pinner, words);
  if (std::string state = held_through_state(snapshot, pinner, words); !state.empty())
    summary = summary.empty() ? state : state + "; " + summary;
  if (summary.empty()) return name;
  return pinner.kind == PinnerKind::Kernel ? name + " (" + summary + ")" : name + " " + summary;
}

const char* kernel_pinner_word(PinKind kind, const Words& words) {
  switch (kind) {
    case PinKind::OverlayLayer:
      return "overlay";
    case PinKind::BackingFile:
      // TRANSLATORS: a filesystem mounted from an image file without a loop device, before its mount point.
      return words.tr("file-backed mount");
    case PinKind::BinfmtInterpreter:
      // TRANSLATORS: before the entry's name: "binfmt_misc entry qemu-arm".
      return words.tr("binfmt_misc entry");
    case PinKind::KernelBpfLink:
      // TRANSLATORS: before the link's id: "BPF link 12".
      return words.tr("BPF link");
    default:
      return holder_kind_word(kind, words);
  }
}

std::string describe_pinners(const Snapshot& snapshot, const std::vector<Pinner>& pinners, const Words& words,
                             std::size_t max_pinners, std::size_t max_chars) {
  return list_pinners(snapshot, pinners, words, max_pinners, max_chars).text;
}

PinnerList list_pinners(const Snapshot& snapshot, const std::vector<Pinner>& pinners, const Words& words,
                        std::size_t max_pinners, std::size_t max_chars) {
  std::string out;
  std::size_t shown = 0;
  for (; shown < pinners.size() && shown < max_pinners; ++shown) {
    std::string one = describe_pinner(snapshot, pinners[shown], words);
    // The first pinner is always named, however long: a list that names nobody helps nobody.
    if (shown > 0 && out.size() + one.size() + 2 > max_chars) break;
    out += (shown ? ", " : "") + one;
  }
  if (shown == pinners.size()) return {out, true};
  return {words.trf("{0} and {1} more", out, pinners.size() - shown), false};
}

std::string describe_pins(const Snapshot& snapshot, const std::vector<const Pin*>& pins, const Words& words,
                          std::size_t max_pinners, std::size_t max_chars) {
  return describe_pinners(snapshot, group_pinners(pins), words, max_pinners, max_chars);
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
    case PinKind::KernelBpfLink:
      return "bpf-link";
    default:
      return "kernel";
  }
}

json pinner_json(const Snapshot& snapshot, const Pinner& pinner, bool each_pin) {
  json out = json::object();
  out["kind"] = pinner_kind_name(pinner);
  if (pinner.kind == PinnerKind::Kernel) {
    out["holder"] = text_or_null(pinner.holder);
    if (const Mount* via = held_through(snapshot, pinner))
      out["held-through"] = held_through_json(snapshot, *via);
  } else {
    const Task* task = snapshot.task(pinner.pid);
    out["pid"] = pinner.pid;
    out["tid"] = pinner.kind == PinnerKind::Thread ? json(pinner.tid) : json(nullptr);
    out["command"] = task ? text_or_null(task->command) : json(nullptr);
    out["user"] = task ? text_or_null(task->user) : json(nullptr);
    out["unit"] = task ? text_or_null(task->unit) : json(nullptr);
  }
  // The HOW column's words, for scripts that print rather than parse.
  const Words program = Words::program();
  out["how"] =
      escape_invalid_utf8(pinner.kind == PinnerKind::Kernel ? describe_pinner(snapshot, pinner, program)
                                                            : summarize_pins(pinner, program));
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

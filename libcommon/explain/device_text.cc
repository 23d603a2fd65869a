#include "explain/device_text.h"

#include <cstdio>

#include "explain/pinner.h"

namespace detach {
namespace {

// Paths may hold newlines and other control bytes; each reason must stay on its own line.
std::string printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::vector<const Pin*> pin_pointers(const Snapshot& snapshot, const std::vector<std::size_t>& indexes) {
  std::vector<const Pin*> out;
  for (std::size_t i : indexes) out.push_back(&snapshot.pins[i]);
  return out;
}

std::string mounted_sentence(const std::vector<const Reason*>& mounts) {
  std::string out = "it is mounted at ";
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    if (i) out += ", ";
    out += printable(mounts[i]->target);
    if (mounts[i]->other_namespace) out += " in mount namespace mnt:[" + std::to_string(mounts[i]->ns_inode) + "]";
  }
  return out;
}

std::string detached_sentence(const Snapshot& snapshot, const std::vector<const Reason*>& detached) {
  std::vector<const Pin*> pins;
  for (const Reason* r : detached)
    for (const Pin* pin : pin_pointers(snapshot, r->pins)) pins.push_back(pin);
  const Reason& first = *detached.front();
  std::string out = "it holds " + std::string(first.fstype.empty() ? "a" : "an " + first.fstype) +
                    " filesystem that was lazily unmounted";
  if (!first.target.empty()) out += " from " + printable(first.target);
  if (pins.empty()) return out + " and is still alive";
  return out + " and is still pinned by: " + describe_pins(snapshot, pins);
}

std::string holder_sentence(const Reason& r) {
  if (!r.dm_name.empty()) return "it is held by " + r.holder + " (device-mapper " + printable(r.dm_name) + ")";
  if (!r.md_level.empty()) return "it is a member of " + r.holder + " (" + r.md_level + ")";
  return "it is held by " + r.holder;
}

std::vector<std::string> reason_lines(const Snapshot& snapshot, const std::vector<Reason>& reasons);

// "SENTENCE, which is busy: FIRST NESTED", further nested reasons indented below it.
void add_with_nested(const Snapshot& snapshot, std::string sentence, const std::vector<Reason>& nested,
                     std::vector<std::string>& out) {
  std::vector<std::string> inner = reason_lines(snapshot, nested);
  if (!inner.empty()) sentence += inner.front();
  out.push_back(sentence);
  for (std::size_t i = 1; i < inner.size(); ++i) out.push_back("  " + inner[i]);
}

std::string unknown_sentence() {
  return "it is claimed, but no mount, swap area, loop device, holder or open file explains it";
}

void add_single(const Snapshot& snapshot, const Reason& r, std::vector<std::string>& out) {
  switch (r.kind) {
    case ReasonKind::SwapPartition: out.push_back("it is an active swap area"); break;
    case ReasonKind::SwapFileOnFs:
      out.push_back("its filesystem holds the active swap file " + printable(r.file));
      break;
    case ReasonKind::LoopBackingFile:
      out.push_back("its filesystem holds " + printable(r.file) + ", the backing file of " + r.loop);
      break;
    case ReasonKind::Holder:
      add_with_nested(snapshot, holder_sentence(r) + (r.nested.empty() ? "" : ", which is busy: "), r.nested, out);
      break;
    case ReasonKind::PartitionBusy:
      add_with_nested(snapshot, "its partition " + printable(r.partition) + " is busy: ", r.nested, out);
      break;
    case ReasonKind::OpenedBy:
      out.push_back("it is open in: " + describe_pins(snapshot, pin_pointers(snapshot, r.pins)));
      break;
    case ReasonKind::Unknown:
      out.push_back(unknown_sentence());
      for (const std::string& what : r.unseen) out.push_back("could not see: " + printable(what));
      break;
    default: break;
  }
}

// Mounts of one kind read best as one sentence; everything else gets a line of its own.
std::vector<std::string> reason_lines(const Snapshot& snapshot, const std::vector<Reason>& reasons) {
  std::vector<const Reason*> mounted, detached;
  std::vector<std::size_t> mounted_pins;
  for (const Reason& r : reasons) {
    if (r.kind == ReasonKind::Mounted) mounted.push_back(&r);
    if (r.kind == ReasonKind::Mounted) mounted_pins.insert(mounted_pins.end(), r.pins.begin(), r.pins.end());
    if (r.kind == ReasonKind::DetachedPinned) detached.push_back(&r);
  }
  std::vector<std::string> out;
  for (const Reason& r : reasons) {
    if (!mounted.empty() && &r == mounted.front()) {
      out.push_back(mounted_sentence(mounted));
      if (!mounted_pins.empty()) out.push_back("pinned by: " + describe_pins(snapshot, pin_pointers(snapshot, mounted_pins)));
    } else if (!detached.empty() && &r == detached.front()) {
      out.push_back(detached_sentence(snapshot, detached));
    } else if (r.kind != ReasonKind::Mounted && r.kind != ReasonKind::DetachedPinned) {
      add_single(snapshot, r, out);
    }
  }
  return out;
}

}  // namespace

std::string render_text(const Snapshot& snapshot, const DeviceReport& report) {
  std::string device = printable(report.device);
  if (!report.busy) return device + " is free: mkfs can use it\n";
  std::vector<std::string> lines = reason_lines(snapshot, report.reasons);
  if (lines.empty()) lines.push_back(unknown_sentence());
  std::string out = device + " is busy: " + lines.front() + "\n";
  for (std::size_t i = 1; i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Pins a mount holds on other filesystems, that the kernel states only in that mount's options or source:
// - an overlay's layers (lowerdir, upperdir, workdir, data-only layers): the overlay holds private copies of
//   the mounts they lie on, so the filesystem of a layer lives on after its last mount is gone. Those copies
//   are no mount anyone can unmount: a layer pin is placed by device only (never a reason for "target is
//   busy");
// - the image file of a filesystem mounted from a regular file without a loop device (erofs, 6.12+): the
//   kernel holds the file open, on the mount its path led to then.
// Both paths are as given at mount time, in the namespace the mount was made in: they are looked up there,
// through a process in it, and only on a mount older than the holder. Where the BPF source read an overlay's
// layers from the overlay itself (a task pin led to it), those place its layers instead: a path may have
// been renamed, removed or mounted over since, and an overlay lazily detached with nobody to record its
// options has no paths at all.
#include <fcntl.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "kernel/overlay_options.h"
#include "kernel/statx.h"
#include "scan/kernel_paths.h"
#include "scan/scan_state.h"

namespace detach::scan {
namespace {

// Filesystems the kernel mounts from a regular file, with the file as the mount's source: erofs since 6.12
// (its sysfs entry, /sys/fs/erofs/erofs-N, does not name the file; the mount's source does).
constexpr std::array<std::string_view, 1> kFileBackedTypes{"erofs"};

bool is_file_backed(const Mount& m) {
  if (std::find(kFileBackedTypes.begin(), kFileBackedTypes.end(), m.fstype) == kFileBackedTypes.end())
    return false;
  // On a block device its source is the device; with fscache (fsid=) it has no file, and "none" as source.
  if (!m.dev.anonymous() || m.source.empty() || m.source == "none") return false;
  const std::string options = m.attached ? m.fs_options : m.recorded_options;
  return options.find("fsid=") == std::string::npos;
}

// Where the overlay's options are: its namespace shows them while it is attached; once detached, only the
// journal's record of it does.
const std::string& overlay_options(const Mount& m) {
  return m.attached ? m.fs_options : m.recorded_options;
}

struct Found {
  Pin pin;
  KernelPath path;
  bool look_up = true;  // false: no path to look up, or no need to: EXACT alone places it
  // Where the BPF source read the layer from the overlay itself; unset: the path alone places it.
  std::optional<PathPlace> exact{};
};

// The overlay M's layers as BPF read them from M itself, when they are the layers its options name (the
// same roles in the same order); nullptr otherwise, or when BPF did not read them.
const std::vector<ExactOverlayLayer>* exact_layers_of(const ScanState& state, const Mount& m,
                                                      const std::vector<OverlayLayerOption>& named) {
  auto found = state.exact_overlays.find(m.dev);
  if (found == state.exact_overlays.end()) return nullptr;
  const std::vector<ExactOverlayLayer>& exact = found->second;
  if (named.empty()) return &exact;
  if (exact.size() != named.size()) return nullptr;
  for (std::size_t i = 0; i < named.size(); ++i)
    if (named[i].role != exact[i].role) return nullptr;
  return &exact;
}

PathPlace place_of(const ExactOverlayLayer& layer) {
  PathPlace place;
  place.dev = layer.dev;
  place.ino = layer.ino;
  return place;
}

// The layer's place: the kernel's (EXACT), with the inode the path gave where the kernel's read gave none and
// the path led to the same device; without EXACT, the path's (LOOKED_UP).
PathPlace merged_place(const std::optional<PathPlace>& exact, const PathPlace& looked_up) {
  if (!exact) return looked_up;
  PathPlace place = *exact;
  if (place.ino == 0 && looked_up.dev == place.dev) place.ino = looked_up.ino;
  return place;
}

// How to look up a path given to mount M: in M's namespace, through a process there whose root is the
// namespace's root (a chrooted one would resolve elsewhere), or as we see it when M is in ours.
class Lookups {
 public:
  explicit Lookups(const ScanState& state) : state_(state) {}

  KernelPath path_for(const Mount& m, const std::string& path) {
    KernelPath kp;
    kp.path = path;
    kp.as_given = true;
    kp.ns_id = m.ns_id;
    if (state_.snapshot.id_kind == IdKind::Unique) kp.made_before = m.unique_id;
    const Namespace* ns = namespace_of(m);
    if (ns == nullptr) {
      kp.no_lookup = true;
      kp.no_lookup_why = m.attached ? "its mount namespace was not listed"
                                    : "the mount namespace it was made in is not known or gone";
      return kp;
    }
    if (ns->inode == state_.snapshot.own_ns_inode) return kp;
    kp.seen_from = process_in(*ns);
    if (kp.seen_from == 0) {
      kp.no_lookup = true;
      kp.no_lookup_why = "no process is in its mount namespace to look it up through";
    }
    return kp;
  }

 private:
  const Namespace* namespace_of(const Mount& m) const {
    for (const Namespace& ns : state_.snapshot.namespaces)
      if ((m.attached && ns.inode == m.ns_inode) || (!m.attached && m.ns_id != 0 && ns.id == m.ns_id))
        return &ns;
    return nullptr;
  }

  // A process of NS whose root is the namespace's root mount; else its first one; 0 when it has none.
  pid_t process_in(const Namespace& ns) {
    auto known = chosen_.find(ns.inode);
    if (known != chosen_.end()) return known->second;
    std::vector<pid_t> tasks = ns.tasks;
    std::sort(tasks.begin(), tasks.end());
    const bool unique = state_.snapshot.id_kind == IdKind::Unique;
    MountKey root = 0;
    for (MountKey key : ns.mounts)
      if (const Mount* m = state_.snapshot.mount(key); m != nullptr && (m->parent == key || m->target == "/"))
        root = key;
    pid_t chosen = tasks.empty() ? 0 : tasks.front();
    constexpr std::size_t kMaxTries = 8;
    for (std::size_t i = 0; i < tasks.size() && i < kMaxTries && root != 0; ++i) {
      const std::string link = state_.options.proc_root + "/" + std::to_string(tasks[i]) + "/root";
      auto ref = mount_ref_at(AT_FDCWD, link.c_str(), unique);
      if (ref && ref->mnt_id == root) {
        chosen = tasks[i];
        break;
      }
    }
    chosen_.emplace(ns.inode, chosen);
    return chosen;
  }

  const ScanState& state_;
  std::map<std::uint64_t, pid_t> chosen_;
};

Pin held_by(PinKind kind, const Mount& m, std::string role, std::string path) {
  Pin pin;
  pin.kind = kind;
  pin.holder = m.target;  // its mount point, or the former one (journaled); empty when nobody knows it
  pin.role = std::move(role);
  pin.path = std::move(path);
  pin.via = m.key;
  pin.detailed = true;
  return pin;
}

void find_overlay_layers(ScanState& state, const Mount& m, Lookups& lookups, std::vector<Found>& out) {
  std::vector<OverlayLayerOption> layers = parse_overlay_options(overlay_options(m));
  const std::vector<ExactOverlayLayer>* exact = exact_layers_of(state, m, layers);
  if (layers.empty() && exact != nullptr) {
    // Lazily detached without a record of its options: the overlay itself says where its layers are, not
    // by what paths.
    for (const ExactOverlayLayer& layer : *exact)
      out.push_back({held_by(PinKind::OverlayLayer, m, layer.role, {}), {}, false, place_of(layer)});
    return;
  }
  if (layers.empty()) {
    // Lazily detached without a record of its options: its layers are unknown, and nothing is guessed.
    if (!m.attached && !m.unverified)
      state.snapshot.gaps.notes.push_back(
          {ScanNoteKind::OverlayLayersUnknown, {m.target, std::to_string(m.key)}});
    return;
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    OverlayLayerOption& layer = layers[i];
    KernelPath kp = lookups.path_for(m, layer.path);
    std::optional<PathPlace> place;
    if (exact != nullptr) place = place_of((*exact)[i]);
    // The path is looked up (a bounded child each) only for what the kernel's read left out: the inode.
    const bool look_up = !place || place->ino == 0;
    out.push_back({held_by(PinKind::OverlayLayer, m, std::move(layer.role), std::move(layer.path)), kp,
                   look_up, std::move(place)});
  }
}

}  // namespace

void add_mount_file_pins(ScanState& state) {
  if (!state.options.live) return;
  Lookups lookups(state);
  std::vector<Found> found;
  for (const auto& [key, m] : state.snapshot.mounts) {
    if (m.unverified) continue;
    if (m.fstype == "overlay")
      find_overlay_layers(state, m, lookups, found);
    else if (is_file_backed(m))
      found.push_back({held_by(PinKind::BackingFile, m, {}, m.source), lookups.path_for(m, m.source)});
  }
  std::vector<KernelPath> paths;
  paths.reserve(found.size());
  for (const Found& f : found)
    if (f.look_up) paths.push_back(f.path);
  const std::vector<PathPlace> places = place_kernel_paths(state, paths);
  std::size_t looked_up = 0;
  for (Found& f : found) {
    Pin& pin = f.pin;
    place_pin(pin, merged_place(f.exact, f.look_up ? places[looked_up++] : PathPlace{}));
    // An overlay holds a private copy of the layer's mount, not the mount: its filesystem only.
    if (pin.kind == PinKind::OverlayLayer) pin.mount = 0;
    state.snapshot.pins.push_back(std::move(pin));
  }
}

}  // namespace detach::scan

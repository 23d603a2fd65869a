// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/bpf/overlay_layers.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "kernel/bpf/records.h"
#include "scan/bpf/file_id.h"

namespace detach::scan {
namespace {

// parse_overlay_options's name of a role, and its place in that function's order (lower layers, data-only
// ones, upperdir, workdir); nullptr for a role this build does not know.
const char* role_name(std::uint16_t role) {
  switch (role) {
    case DETACH_BPF_OVERLAY_LOWER:
      return "lowerdir";
    case DETACH_BPF_OVERLAY_DATA:
      return "datadir";
    case DETACH_BPF_OVERLAY_UPPER:
      return "upperdir";
    case DETACH_BPF_OVERLAY_WORK:
      return "workdir";
    default:
      return nullptr;
  }
}

}  // namespace

std::vector<ExactOverlayLayer> overlay_layers_from_records(std::vector<detach_bpf_overlay_layer> records) {
  if (records.empty()) return {};
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return std::tie(a.role, a.index) < std::tie(b.role, b.index);
  });
  const std::uint16_t lower = records.front().lower_count;
  const std::uint16_t data = records.front().data_count;
  std::size_t lowers = 0;
  std::size_t datas = 0;
  std::vector<ExactOverlayLayer> out;
  for (const detach_bpf_overlay_layer& r : records) {
    const char* role = role_name(r.role);
    if (role == nullptr || r.lower_count != lower || r.data_count != data) return {};
    // Each index once, in order: a record of an index already read is a repeat (never from one run).
    const std::size_t expected = r.role == DETACH_BPF_OVERLAY_LOWER  ? lowers
                                 : r.role == DETACH_BPF_OVERLAY_DATA ? datas
                                                                     : 0;
    if (r.index != expected) return {};
    if (r.role == DETACH_BPF_OVERLAY_LOWER) ++lowers;
    if (r.role == DETACH_BPF_OVERLAY_DATA) ++datas;
    out.push_back(ExactOverlayLayer{role, from_kernel_dev(r.dev), r.ino});
  }
  if (lowers + datas != lower || datas != data) return {};
  return out;
}

std::set<DeviceNumber> overlays_under_task_pins(const ScanState& state) {
  std::set<DeviceNumber> out;
  for (const Pin& pin : state.snapshot.pins) {
    // What the programs walk: cwd, root, exe, open files, mappings (not a ring's or a socket's files).
    if (!is_proc_link_pin(pin.kind) || pin.mount == 0) continue;
    const Mount* m = state.snapshot.mount(pin.mount);
    if (m != nullptr && m->fstype == "overlay") out.insert(m->dev);
  }
  return out;
}

Status read_overlay_layers_bpf(ScanState& state, const BpfIterators& iterators,
                               const std::set<DeviceNumber>& wanted) {
  // Cheapest first: one call per task, then one per open file, then one per mapping.
  constexpr std::array<const char*, 3> kPrograms{"overlays_of_tasks", "overlays_of_files",
                                                 "overlays_of_maps"};
  std::map<DeviceNumber, std::vector<detach_bpf_overlay_layer>> read;
  std::set<DeviceNumber> unmet = wanted;
  for (const char* program : kPrograms) {
    if (unmet.empty()) break;
    Status ran =
        iterators.for_each<detach_bpf_overlay_layer>(program, [&](const detach_bpf_overlay_layer& r) {
          const DeviceNumber overlay = from_kernel_dev(r.overlay_dev);
          read[overlay].push_back(r);
          unmet.erase(overlay);
        });
    if (!ran) return ran;
  }
  std::map<DeviceNumber, std::vector<ExactOverlayLayer>> found;
  for (auto& [overlay, records] : read)
    if (std::vector<ExactOverlayLayer> layers = overlay_layers_from_records(std::move(records));
        !layers.empty())
      found.emplace(overlay, std::move(layers));
  state.exact_overlays = std::move(found);
  return {};
}

}  // namespace detach::scan

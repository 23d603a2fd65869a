// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/bpf/binfmt_entries.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <utility>

#include "scan/bpf/file_id.h"

namespace detach::scan {
namespace {

// A fixed-size field of a record: up to its first NUL, or all of it (a record is not trusted to hold one).
template <std::size_t N>
std::string text_of(const char (&field)[N]) {
  return std::string(field, strnlen(field, N));
}

}  // namespace

Result<ExactBinfmtEntries> binfmt_entries_from_records(const std::vector<detach_bpf_binfmt_entry>& records,
                                                       IdKind kind) {
  ExactBinfmtEntries out;
  out.read_at_most = DETACH_BPF_BINFMT_ENTRIES;
  std::set<std::pair<DeviceNumber, std::string>> ambiguous;
  for (const detach_bpf_binfmt_entry& r : records) {
    if ((r.flags & DETACH_BPF_BINFMT_UNREACHABLE) != 0)
      return fail(0, "binfmt_misc", {},
                  "this kernel keeps binfmt_misc entries where BPF cannot read them (before Linux 6.7)");
    if ((r.flags & DETACH_BPF_BINFMT_TRUNCATED) != 0) {
      out.truncated.insert(from_kernel_dev(r.instance_dev));
      continue;
    }
    ExactBinfmtEntry e;
    e.instance = from_kernel_dev(r.instance_dev);
    e.name = text_of(r.name);
    e.interpreter = text_of(r.interpreter);
    e.name_cut = (r.flags & DETACH_BPF_BINFMT_NAME_CUT) != 0;
    e.interpreter_cut = (r.flags & DETACH_BPF_BINFMT_INTERPRETER_CUT) != 0;
    e.file = exact_file(r.file, kind);
    // An entry with no name or no instance cannot be told from another: the census's path stands for it.
    if (e.name.empty() || e.instance == DeviceNumber{}) continue;
    auto same = std::find_if(out.entries.begin(), out.entries.end(), [&e](const ExactBinfmtEntry& o) {
      return o.instance == e.instance && o.name == e.name;
    });
    if (same == out.entries.end())
      out.entries.push_back(std::move(e));
    else if (e.name_cut)
      ambiguous.insert({e.instance, e.name});  // two entries whose names begin alike: neither is told apart
  }
  std::erase_if(out.entries, [&ambiguous](const ExactBinfmtEntry& e) {
    return ambiguous.contains({e.instance, e.name});
  });
  return out;
}

bool wants_binfmt_entries(const ScanState& state) {
  const auto& mounts = state.snapshot.mounts;
  return std::any_of(mounts.begin(), mounts.end(), [](const auto& entry) {
    const Mount& m = entry.second;
    return m.fstype == "binfmt_misc" || (!m.attached && !m.kernel_held() && m.fstype.empty());
  });
}

Status read_binfmt_entries_bpf(ScanState& state, const BpfIterators& iterators) {
  std::vector<detach_bpf_binfmt_entry> records;
  Status ran = iterators.for_each<detach_bpf_binfmt_entry>(
      "binfmt_entries_of_tasks", [&records](const detach_bpf_binfmt_entry& r) { records.push_back(r); });
  if (!ran) return ran;
  auto found = binfmt_entries_from_records(records, state.snapshot.id_kind);
  if (!found) return tl::unexpected(found.error());
  state.exact_binfmt = std::move(*found);
  return {};
}

}  // namespace detach::scan

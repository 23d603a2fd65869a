// SPDX-License-Identifier: GPL-2.0-or-later
// BPF links of uprobe kind: a program attached to a file's code (a uprobe_multi link, or a perf_event link
// over a uprobe). The link holds that file (the kernel looked its path up at attach time and keeps it), and
// so its filesystem. Read without loading or changing anything: the kernel's list of links
// (BPF_LINK_GET_NEXT_ID), each opened for a moment by its id (BPF_LINK_GET_FD_BY_ID) to read its info
// (BPF_OBJ_GET_INFO_BY_FD). The walk needs CAP_SYS_ADMIN.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace detach {

enum class BpfProbeKind {
  Uprobe,          // perf_event link over a uprobe
  Uretprobe,       // ... over a return probe
  UprobeMulti,     // uprobe_multi link
  UretprobeMulti,  // uprobe_multi link of return probes
};
const char* bpf_probe_kind_name(
    BpfProbeKind kind);  // "uprobe", "uretprobe", "uprobe_multi", "uretprobe_multi"

struct BpfUprobeLink {
  std::uint32_t id = 0;
  std::uint32_t prog_id = 0;
  BpfProbeKind kind = BpfProbeKind::Uprobe;
  // The probed file. uprobe_multi: its d_path as this process sees it (from the root of its own tree when
  // this process cannot reach it: a lazily detached mount's "/file"); perf_event: the path given at the
  // probe's creation, unresolved. Empty when the kernel does not say (uprobe_multi before 6.8).
  std::string path;
  std::uint64_t offset = 0;  // perf_event: the probe's offset in the file
  std::uint32_t count = 0;   // uprobe_multi: how many offsets it probes
  std::uint32_t pid = 0;     // uprobe_multi: the one process it fires in (0: every process)
};

struct BpfUprobeLinks {
  std::vector<BpfUprobeLink> links;
  // The walk could not be made or stopped: EPERM without CAP_SYS_ADMIN, ENOSYS without bpf(2), EINVAL on a
  // kernel without links (before 5.8).
  std::optional<Error> error;
  // perf_event links this kernel does not describe (before 6.6): any of them may be a uprobe.
  unsigned undescribed = 0;
  unsigned unreadable = 0;  // links whose info could not be read (other than those gone meanwhile)
};

// Every BPF link of uprobe kind the kernel has now.
BpfUprobeLinks read_bpf_uprobe_links();

// The link id an fd's /proc/PID/fdinfo names ("link_id:\t7", a bpf link's); nullopt for any other fd.
std::optional<std::uint32_t> parse_bpf_link_id(std::string_view fdinfo);

}  // namespace detach

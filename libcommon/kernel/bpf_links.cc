// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/bpf_links.h"

#include <linux/bpf.h>
#include <linux/limits.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/unique_fd.h"
#include "kernel/procfs.h"
#include "kernel/uapi.h"

namespace detach {
namespace {

long sys_bpf(int cmd, union bpf_attr& attr) {
  return ::syscall(SYS_bpf, cmd, &attr, sizeof attr);
}

// The id of the link after ID; 0 at the end.
Result<std::uint32_t> next_link_id(std::uint32_t id) {
  union bpf_attr attr {};
  attr.start_id = id;
  if (sys_bpf(BPF_LINK_GET_NEXT_ID, attr) != 0) {
    if (errno == ENOENT) return 0U;
    return fail_errno("bpf(BPF_LINK_GET_NEXT_ID)");
  }
  return attr.next_id;
}

Result<UniqueFd> open_link(std::uint32_t id) {
  union bpf_attr attr {};
  attr.link_id = id;
  long fd = sys_bpf(BPF_LINK_GET_FD_BY_ID, attr);
  if (fd < 0) return fail_errno("bpf(BPF_LINK_GET_FD_BY_ID)");
  return UniqueFd(static_cast<int>(fd));
}

Status link_info(int fd, uapi::BpfLinkInfo& info) {
  union bpf_attr attr {};
  attr.info.bpf_fd = static_cast<__u32>(fd);
  attr.info.info_len = sizeof info;
  attr.info.info = reinterpret_cast<std::uintptr_t>(&info);
  if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, attr) != 0) return fail_errno("bpf(BPF_OBJ_GET_INFO_BY_FD)");
  return {};
}

std::string path_in(const char* buffer, std::size_t size) {
  return std::string(buffer, ::strnlen(buffer, size));
}

// What a link is, read in two steps: its type (and for a perf_event link, what kind of event) with no
// buffer, then its file with one, since an older kernel refuses a buffer in a part it does not know.
// nullopt: not a uprobe link. UNDESCRIBED: a perf_event link the kernel does not describe.
Result<std::optional<BpfUprobeLink>> describe_link(int fd, bool& undescribed) {
  uapi::BpfLinkInfo info{};
  if (auto ok = link_info(fd, info); !ok) return tl::unexpected<Error>(ok.error());
  BpfUprobeLink link;
  link.id = info.id;
  link.prog_id = info.prog_id;
  char path[PATH_MAX] = {};
  if (info.type == uapi::kBpfLinkTypeUprobeMulti) {
    uapi::BpfLinkInfo more{};
    more.uprobe_multi.path = reinterpret_cast<std::uintptr_t>(path);
    more.uprobe_multi.path_size = sizeof path;
    // Before 6.8 the kernel has no uprobe_multi part: the path stays unknown, the link is still a uprobe.
    if (link_info(fd, more)) {
      link.path = path_in(path, sizeof path);
      link.count = more.uprobe_multi.count;
      link.pid = more.uprobe_multi.pid;
      info = more;
    }
    link.kind = (info.uprobe_multi.flags & uapi::kBpfFUprobeMultiReturn) != 0 ? BpfProbeKind::UretprobeMulti
                                                                              : BpfProbeKind::UprobeMulti;
    return link;
  }
  if (info.type != uapi::kBpfLinkTypePerfEvent) return std::optional<BpfUprobeLink>();
  if (info.perf_event.type == 0) {
    undescribed = true;
    return std::optional<BpfUprobeLink>();
  }
  if (info.perf_event.type != uapi::kBpfPerfEventUprobe &&
      info.perf_event.type != uapi::kBpfPerfEventUretprobe)
    return std::optional<BpfUprobeLink>();
  link.kind =
      info.perf_event.type == uapi::kBpfPerfEventUretprobe ? BpfProbeKind::Uretprobe : BpfProbeKind::Uprobe;
  uapi::BpfLinkInfo more{};
  more.perf_event.file_name = reinterpret_cast<std::uintptr_t>(path);
  more.perf_event.name_len = sizeof path;
  if (auto ok = link_info(fd, more); !ok) return tl::unexpected<Error>(ok.error());
  link.path = path_in(path, sizeof path);
  link.offset = more.perf_event.offset;
  return link;
}

}  // namespace

const char* bpf_probe_kind_name(BpfProbeKind kind) {
  switch (kind) {
    case BpfProbeKind::Uprobe:
      return "uprobe";
    case BpfProbeKind::Uretprobe:
      return "uretprobe";
    case BpfProbeKind::UprobeMulti:
      return "uprobe_multi";
    case BpfProbeKind::UretprobeMulti:
      break;
  }
  return "uretprobe_multi";
}

BpfUprobeLinks read_bpf_uprobe_links() {
  BpfUprobeLinks out;
  for (std::uint32_t id = 0;;) {
    auto next = next_link_id(id);
    if (!next) {
      out.error = next.error();
      break;
    }
    if (*next == 0 || *next <= id) break;
    id = *next;
    auto fd = open_link(id);
    if (!fd) {
      if (fd.error().err == ENOENT) continue;  // gone meanwhile
      if (fd.error().err == EPERM) {
        out.error = fd.error();
        break;
      }
      ++out.unreadable;
      continue;
    }
    bool undescribed = false;
    auto link = describe_link(fd->get(), undescribed);
    if (!link) {
      ++out.unreadable;
      continue;
    }
    if (undescribed) ++out.undescribed;
    if (*link) out.links.push_back(std::move(**link));
  }
  return out;
}

std::optional<std::uint32_t> parse_bpf_link_id(std::string_view fdinfo) {
  while (!fdinfo.empty()) {
    std::size_t end = fdinfo.find('\n');
    std::string_view line = fdinfo.substr(0, end);
    fdinfo = end == std::string_view::npos ? std::string_view() : fdinfo.substr(end + 1);
    if (!line.starts_with("link_id:")) continue;
    line.remove_prefix(8);
    line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
    return parse_kernel_u32(line);
  }
  return std::nullopt;
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/nsfs.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <charconv>

#include "kernel/procfs.h"
#include "kernel/uapi.h"

namespace detach {

namespace {

Result<MountNamespaceHandle> describe(UniqueFd fd, const uapi::MntNsInfo& info) {
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail_errno("fstat", "nsfs fd");
  MountNamespaceHandle handle;
  handle.fd = std::move(fd);
  handle.id = info.mnt_ns_id;
  handle.inode = st.st_ino;
  return handle;
}

// Follows NEXT or PREV from FROM until the kernel says there is no more (ENOENT).
Status walk(int from, unsigned long request, std::vector<MountNamespaceHandle>& out) {
  int current = from;
  for (;;) {
    uapi::MntNsInfo info{};
    info.size = uapi::kMntNsInfoSizeVer0;
    int next = ::ioctl(current, request, &info);
    if (next < 0) {
      if (errno == ENOENT) return {};
      return fail_errno("ioctl NS_MNT_GET_NEXT/PREV");
    }
    auto handle = describe(UniqueFd(next), info);
    if (!handle) return tl::unexpected(handle.error());
    out.push_back(std::move(*handle));
    current = out.back().fd.get();
  }
}

}  // namespace

Result<std::vector<MountNamespaceHandle>> walk_mount_namespaces(const std::string& proc_root) {
  std::string self = proc_root + "/self/ns/mnt";
  UniqueFd own(::open(self.c_str(), O_RDONLY | O_CLOEXEC));
  if (!own) return fail_errno("open", self);
  uapi::MntNsInfo info{};
  info.size = uapi::kMntNsInfoSizeVer0;
  if (::ioctl(own.get(), uapi::kNsMntGetInfo, &info) != 0) return fail_errno("ioctl NS_MNT_GET_INFO", self);
  int own_fd = own.get();
  std::vector<MountNamespaceHandle> out;
  auto first = describe(std::move(own), info);
  if (!first) return tl::unexpected(first.error());
  out.push_back(std::move(*first));
  if (auto st = walk(own_fd, uapi::kNsMntGetNext, out); !st) return tl::unexpected(st.error());
  if (auto st = walk(own_fd, uapi::kNsMntGetPrev, out); !st) return tl::unexpected(st.error());
  return out;
}

Result<std::uint64_t> mount_namespace_id(int ns_fd) {
  __u64 id = 0;
  if (::ioctl(ns_fd, uapi::kNsGetMntnsId, &id) != 0) return fail_errno("ioctl NS_GET_MNTNS_ID");
  return static_cast<std::uint64_t>(id);
}

Result<MountNamespaceHandle> open_task_mount_namespace(const std::string& proc_root, int pid) {
  const std::string link = proc_root + "/" + std::to_string(pid) + "/ns/mnt";
  UniqueFd fd(::open(link.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail_errno("open", link);
  uapi::MntNsInfo info{};
  auto id = mount_namespace_id(fd.get());
  if (!id) return tl::unexpected(id.error());
  info.mnt_ns_id = *id;
  return describe(std::move(fd), info);
}

std::uint64_t parse_mnt_ns_link(const std::string& text) {
  constexpr std::string_view kPrefix = "mnt:[";
  if (text.size() < kPrefix.size() + 2 || text.compare(0, kPrefix.size(), kPrefix) != 0 || text.back() != ']')
    return 0;
  std::uint64_t inode = 0;
  const char* begin = text.data() + kPrefix.size();
  const char* end = text.data() + text.size() - 1;
  auto [ptr, ec] = std::from_chars(begin, end, inode);
  return (ec == std::errc() && ptr == end) ? inode : 0;
}

}  // namespace detach

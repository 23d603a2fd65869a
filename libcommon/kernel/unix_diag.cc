// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/unix_diag.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstring>

#include "base/unique_fd.h"
#include "kernel/net_namespace.h"

namespace detach {
namespace {

// The kernel's own dev_t (MAJOR << 20 | MINOR), as udiag_vfs_dev carries it: not the userspace encoding.
DeviceNumber from_kernel_dev(std::uint32_t dev) {
  return DeviceNumber{dev >> 20, dev & ((1U << 20) - 1)};
}

template <typename T>
bool read_struct(std::string_view bytes, T& out) {
  if (bytes.size() < sizeof(T)) return false;
  std::memcpy(&out, bytes.data(), sizeof(T));
  return true;
}

void parse_attributes(std::string_view attrs, UnixDiagSocket& s) {
  while (attrs.size() >= sizeof(rtattr)) {
    rtattr attr;
    std::memcpy(&attr, attrs.data(), sizeof attr);
    if (attr.rta_len < sizeof(rtattr) || attr.rta_len > attrs.size()) return;
    std::string_view payload = attrs.substr(RTA_LENGTH(0), attr.rta_len - RTA_LENGTH(0));
    switch (attr.rta_type) {
      case UNIX_DIAG_VFS: {
        unix_diag_vfs vfs;
        if (read_struct(payload, vfs)) {
          s.bound = true;
          s.vfs_dev = from_kernel_dev(vfs.udiag_vfs_dev);
          s.vfs_ino = vfs.udiag_vfs_ino;
        }
        break;
      }
      case UNIX_DIAG_RQLEN: {
        unix_diag_rqlen rq;
        if (read_struct(payload, rq)) {
          s.has_rqueue = true;
          s.rqueue = rq.udiag_rqueue;
        }
        break;
      }
      case UNIX_DIAG_NAME:
        // An abstract name starts with a NUL; a path is NUL-terminated.
        if (!payload.empty() && payload[0] == '\0')
          s.name = "@" + std::string(payload.substr(1));
        else
          s.name = std::string(payload.substr(0, payload.find('\0')));
        break;
      default:
        break;
    }
    std::size_t step = RTA_ALIGN(attr.rta_len);
    if (step >= attrs.size()) return;
    attrs.remove_prefix(step);
  }
}

Result<std::vector<UnixDiagSocket>> dump_on(int sock) {
  struct {
    nlmsghdr header;
    unix_diag_req request;
  } message{};
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  message.request.sdiag_family = AF_UNIX;
  message.request.udiag_states = ~0U;
  message.request.udiag_show = UDIAG_SHOW_VFS | UDIAG_SHOW_RQLEN | UDIAG_SHOW_NAME;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(sock, &message, sizeof message, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0)
    return fail_errno("sendto", "sock_diag");
  std::vector<UnixDiagSocket> out;
  std::string buffer(64 * 1024, '\0');
  for (bool done = false; !done;) {
    ssize_t n = ::recv(sock, buffer.data(), buffer.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno("recv", "sock_diag");
    }
    if (n == 0) break;
    std::string_view reply(buffer.data(), static_cast<std::size_t>(n));
    // An error message ends the dump: the kernel refused it.
    nlmsghdr first;
    if (read_struct(reply, first) && first.nlmsg_type == NLMSG_ERROR) {
      nlmsgerr e;
      if (read_struct(reply.substr(NLMSG_HDRLEN), e) && e.error != 0)
        return fail(-e.error, "sock_diag", "AF_UNIX dump");
    }
    std::vector<UnixDiagSocket> part = parse_unix_diag(reply, done);
    std::move(part.begin(), part.end(), std::back_inserter(out));
  }
  return out;
}

}  // namespace

bool UnixDiagSocket::may_hold_files_in_flight() const {
  return !(type == SOCK_STREAM && has_rqueue && rqueue == 0);
}

std::vector<UnixDiagSocket> parse_unix_diag(std::string_view reply, bool& done) {
  std::vector<UnixDiagSocket> out;
  while (reply.size() >= NLMSG_HDRLEN) {
    nlmsghdr header;
    std::memcpy(&header, reply.data(), sizeof header);
    if (header.nlmsg_len < NLMSG_HDRLEN || header.nlmsg_len > reply.size()) break;
    if (header.nlmsg_type == NLMSG_DONE || header.nlmsg_type == NLMSG_ERROR) {
      done = true;
      break;
    }
    std::string_view body = reply.substr(NLMSG_HDRLEN, header.nlmsg_len - NLMSG_HDRLEN);
    unix_diag_msg msg;
    if (header.nlmsg_type == SOCK_DIAG_BY_FAMILY && read_struct(body, msg) && msg.udiag_family == AF_UNIX) {
      UnixDiagSocket s;
      s.inode = msg.udiag_ino;
      s.type = msg.udiag_type;
      std::size_t attrs_at = NLMSG_ALIGN(sizeof msg);
      if (attrs_at < body.size()) parse_attributes(body.substr(attrs_at), s);
      out.push_back(std::move(s));
    }
    std::size_t step = NLMSG_ALIGN(header.nlmsg_len);
    if (step >= reply.size()) break;
    reply.remove_prefix(step);
  }
  return out;
}

bool is_unix_socket_link(const std::string& link) {
  char name[32] = {};  // the name and its NUL: "UNIX" (datagram), "UNIX-STREAM", "UNIX-SEQPACKET" on 6.x
  const ssize_t n = ::getxattr(link.c_str(), "system.sockprotoname", name, sizeof name - 1);
  return n > 0 && std::string_view(name).starts_with("UNIX");
}

Result<std::vector<UnixDiagSocket>> dump_unix_sockets() {
  UniqueFd sock(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  if (!sock) return fail_errno("socket", "NETLINK_SOCK_DIAG");
  return dump_on(sock.get());
}

Result<std::vector<UnixDiagSocket>> dump_unix_sockets_in(int netns_fd) {
  Result<std::vector<UnixDiagSocket>> out;
  if (Status entered = in_net_namespace(netns_fd, [&out] { out = dump_unix_sockets(); }); !entered)
    return tl::unexpected(entered.error());
  return out;
}

}  // namespace detach

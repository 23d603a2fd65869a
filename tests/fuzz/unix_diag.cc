// SPDX-License-Identifier: GPL-2.0-or-later
// A sock_diag reply for AF_UNIX (kernel/unix_diag parse_unix_diag). Any bytes: no crash, no read past the
// reply (ASan), never more sockets than messages could hold. Properties: one well-formed message, after any
// bytes cut to whole messages, comes back with its inode, bound device and queue length.
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>

#include "fuzz_check.h"
#include "kernel/unix_diag.h"

namespace {

// One SOCK_DIAG_BY_FAMILY message for a bound stream socket, as the kernel writes it.
std::string message(std::uint32_t inode, std::uint32_t kernel_dev, std::uint32_t vfs_ino, std::uint32_t rq) {
  std::string out(NLMSG_HDRLEN, '\0');
  unix_diag_msg m{};
  m.udiag_family = AF_UNIX;
  m.udiag_type = SOCK_STREAM;
  m.udiag_ino = inode;
  out.append(reinterpret_cast<const char*>(&m), sizeof m);
  out.resize(NLMSG_ALIGN(out.size()), '\0');
  auto attribute = [&out](unsigned short type, const void* p, std::size_t n) {
    rtattr a{};
    a.rta_len = static_cast<unsigned short>(RTA_LENGTH(n));
    a.rta_type = type;
    out.append(reinterpret_cast<const char*>(&a), sizeof a);
    out.append(static_cast<const char*>(p), n);
    out.resize(NLMSG_ALIGN(out.size()), '\0');
  };
  unix_diag_vfs vfs{vfs_ino, kernel_dev};
  attribute(UNIX_DIAG_VFS, &vfs, sizeof vfs);
  unix_diag_rqlen rqlen{rq, 0};
  attribute(UNIX_DIAG_RQLEN, &rqlen, sizeof rqlen);
  nlmsghdr h{};
  h.nlmsg_len = static_cast<std::uint32_t>(out.size());
  h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  std::memcpy(out.data(), &h, sizeof h);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw = fuzz::as_string(data, size);
  bool done = false;
  std::vector<detach::UnixDiagSocket> any = detach::parse_unix_diag(raw, done);
  FUZZ_CHECK(any.size() <= raw.size() / NLMSG_HDRLEN);

  fuzz::Bytes in(data, size);
  const auto inode = in.take<std::uint32_t>();
  const auto dev = in.take<std::uint32_t>();
  const auto ino = in.take<std::uint32_t>();
  const auto rq = in.take<std::uint32_t>();
  const std::string mine = message(inode, dev, ino, rq);
  // The fuzzer's messages first, as many whole ones as parse as such; then ours.
  const std::string before = in.rest();
  std::string prefix;
  for (std::string_view rest = before; rest.size() >= NLMSG_HDRLEN;) {
    nlmsghdr h;
    std::memcpy(&h, rest.data(), sizeof h);
    if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > rest.size() || h.nlmsg_type == NLMSG_DONE ||
        h.nlmsg_type == NLMSG_ERROR || NLMSG_ALIGN(h.nlmsg_len) > rest.size())
      break;
    prefix.append(rest.data(), NLMSG_ALIGN(h.nlmsg_len));
    rest.remove_prefix(NLMSG_ALIGN(h.nlmsg_len));
  }
  std::vector<detach::UnixDiagSocket> sockets = detach::parse_unix_diag(prefix + mine, done);
  FUZZ_CHECK(!sockets.empty());
  const detach::UnixDiagSocket& last = sockets.back();
  FUZZ_CHECK(last.inode == inode);
  FUZZ_CHECK(last.bound && last.vfs_ino == ino);
  FUZZ_CHECK(last.vfs_dev.major == dev >> 20 && last.vfs_dev.minor == (dev & 0xfffff));
  FUZZ_CHECK(last.has_rqueue && last.rqueue == rq);
  return 0;
}

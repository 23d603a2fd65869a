// SPDX-License-Identifier: GPL-2.0-or-later
// The socket tables fuser reads (kernel/procnet parse_inet_sockets, parse_unix_sockets: /proc/net/tcp, tcp6,
// udp, udp6, unix) and the kernel NFS server's exports (kernel/nfsd parse_nfs_exports). Raw: any text gives
// at most one entry per line. Structured: tables laid out as the kernel prints them, from sockets and
// exports the fuzzer picks (any port, address and inode; a unix path of any bytes but a newline; an export
// path of any bytes, escaped as seq_path escapes it), give every entry back, field for field, in order.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "fuzz_check.h"
#include "kernel/nfsd.h"
#include "kernel/procnet.h"

namespace {

std::size_t lines_in(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
}

std::string hex(std::uint64_t value, int width) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*llX", width, static_cast<unsigned long long>(value));
  return buf;
}

// An address as the kernel prints it: each 32-bit word of it as a number in host byte order, %08X.
std::string address_text(const std::array<std::uint8_t, 16>& address, bool v6) {
  std::string out;
  for (int i = 0; i < (v6 ? 4 : 1); ++i) {
    std::uint32_t word = 0;
    std::memcpy(&word, address.data() + 4 * i, sizeof word);
    out += hex(word, 8);
  }
  return out;
}

void check_inet(fuzz::Bytes& in) {
  const bool v6 = in.take<std::uint8_t>() & 1;
  const std::size_t n = in.take<std::uint8_t>() % 8;
  std::vector<detach::InetSocket> sockets(n);
  std::string table =
      v6 ? "  sl  local_address                         remote_address                        st tx_queue "
           "rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
         : "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
           "timeout inode\n";
  for (std::size_t i = 0; i < n; ++i) {
    detach::InetSocket& s = sockets[i];
    s.v6 = v6;
    s.local_port = in.take<std::uint16_t>();
    s.remote_port = in.take<std::uint16_t>();
    s.remote_address = in.take<std::array<std::uint8_t, 16>>();
    if (!v6) std::fill(s.remote_address.begin() + 4, s.remote_address.end(), 0);
    s.inode = in.take<std::uint64_t>();
    const std::array<std::uint8_t, 16> local = in.take<std::array<std::uint8_t, 16>>();
    const auto state = in.take<std::uint8_t>();
    const auto uid = in.take<std::uint32_t>();
    char sl[16];
    std::snprintf(sl, sizeof sl, "%4zu: ", i);
    table += sl + address_text(local, v6) + ":" + hex(s.local_port, 4) + " " +
             address_text(s.remote_address, v6) + ":" + hex(s.remote_port, 4) + " " + hex(state, 2) +
             " 00000000:00000000 00:00000000 00000000 " + std::to_string(uid) + "        0 " +
             std::to_string(s.inode) + " 1 0000000000000000 100 0 0 10 0\n";
  }
  const std::vector<detach::InetSocket> parsed = detach::parse_inet_sockets(table, v6);
  FUZZ_CHECK(parsed.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(parsed[i].v6 == v6 && parsed[i].local_port == sockets[i].local_port);
    FUZZ_CHECK(parsed[i].remote_port == sockets[i].remote_port && parsed[i].inode == sockets[i].inode);
    FUZZ_CHECK(parsed[i].remote_address == sockets[i].remote_address);
  }
}

void check_unix(fuzz::Bytes& in) {
  const std::size_t n = in.take<std::uint8_t>() % 8;
  std::vector<detach::UnixSocket> bound;
  std::string table = "Num       RefCount Protocol Flags    Type St Inode Path\n";
  for (std::size_t i = 0; i < n; ++i) {
    detach::UnixSocket s;
    s.inode = in.take<std::uint64_t>();
    std::string path = in.take_short_string();
    std::replace(path.begin(), path.end(), '\n', '@');  // the kernel's path cut at a newline is tested apart
    char head[96];
    std::snprintf(head, sizeof head, "%016zx: %08X %08X %08X %04X %02X %5llu", i, 2u, 0u, 0x10000u, 1u, 1u,
                  static_cast<unsigned long long>(s.inode));
    table += head;
    if (!path.empty()) {
      table += " " + path;
      s.path = path;
      bound.push_back(s);
    }
    table += "\n";
  }
  const std::vector<detach::UnixSocket> parsed = detach::parse_unix_sockets(table);
  FUZZ_CHECK(parsed.size() == bound.size());
  for (std::size_t i = 0; i < bound.size(); ++i)
    FUZZ_CHECK(parsed[i].inode == bound[i].inode && parsed[i].path == bound[i].path);
}

void check_exports(fuzz::Bytes& in) {
  const std::size_t n = in.take<std::uint8_t>() % 8;
  std::vector<std::string> paths;
  std::string text = "# Version 1.1\n# Path Client(Flags) # IPs\n";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string path = "/" + in.take_short_string();
    paths.push_back(path);
    text += fuzz::kernel_escape(path) + "\t*(rw,no_root_squash,sync,wdelay,no_subtree_check)\n";
  }
  FUZZ_CHECK(detach::parse_nfs_exports(text) == paths);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  FUZZ_CHECK(detach::parse_inet_sockets(text, false).size() <= lines_in(text));
  FUZZ_CHECK(detach::parse_inet_sockets(text, true).size() <= lines_in(text));
  FUZZ_CHECK(detach::parse_unix_sockets(text).size() <= lines_in(text));
  FUZZ_CHECK(detach::parse_nfs_exports(text).size() <= lines_in(text));

  fuzz::Bytes in(data, size);
  switch (in.take<std::uint8_t>() % 3) {
    case 0:
      check_inet(in);
      break;
    case 1:
      check_unix(in);
      break;
    default:
      check_exports(in);
  }
  return 0;
}

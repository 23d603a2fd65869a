// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/procnet.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <charconv>
#include <cstring>
#include <string_view>

#include "base/unique_fd.h"
#include "kernel/procfs.h"

namespace detach {
namespace {

// A whole field of hex digits, as the kernel prints them (%08X, %04X): nothing else, nothing more than fits.
template <typename T>
bool parse_hex(std::string_view text, T& out) {
  if (text.empty() || text.size() > 2 * sizeof(T)) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, 16);
  return ec == std::errc{} && end == text.data() + text.size();
}

bool parse_decimal(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, 10);
  return ec == std::errc{} && end == text.data() + text.size();
}

// "0100007F:15B3" (IPv4) or 32 hex digits and a port (IPv6). The kernel prints each 32-bit word of the
// address as a number in host byte order; copying the number back gives the address's bytes.
bool parse_endpoint(std::string_view text, bool v6, std::array<std::uint8_t, 16>& address,
                    std::uint16_t& port) {
  const std::size_t colon = text.find(':');
  const std::size_t words = v6 ? 4 : 1;
  if (colon != words * 8) return false;
  address.fill(0);
  for (std::size_t i = 0; i < words; ++i) {
    std::uint32_t word = 0;
    if (!parse_hex(text.substr(i * 8, 8), word)) return false;
    std::memcpy(address.data() + i * 4, &word, sizeof word);
  }
  return parse_hex(text.substr(colon + 1), port);
}

std::vector<std::string_view> split_blanks(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t at = 0;
  while (at < line.size()) {
    while (at < line.size() && line[at] == ' ') ++at;
    std::size_t end = line.find(' ', at);
    if (end == std::string_view::npos) end = line.size();
    if (end > at) fields.push_back(line.substr(at, end - at));
    at = end;
  }
  return fields;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// "  0: 0100007F:15B3 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4075761 ..."
// fields: sl, local, remote, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode.
bool parse_inet_line(std::string_view line, bool v6, InetSocket& out) {
  std::vector<std::string_view> f = split_blanks(line);
  if (f.size() < 10 || f[0].empty() || f[0].back() != ':') return false;
  std::array<std::uint8_t, 16> ignored{};
  out.v6 = v6;
  return parse_endpoint(f[1], v6, ignored, out.local_port) &&
         parse_endpoint(f[2], v6, out.remote_address, out.remote_port) && parse_decimal(f[9], out.inode);
}

// "0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/x.sock": Num, RefCount, Protocol, Flags,
// Type, St, Inode (%5lu: maybe padded), then one blank and the path, blanks and all.
bool parse_unix_line(std::string_view line, UnixSocket& out) {
  std::size_t at = 0;
  std::string_view field;
  for (int i = 0; i < 7; ++i) {
    while (at < line.size() && line[at] == ' ') ++at;
    std::size_t end = line.find(' ', at);
    if (end == std::string_view::npos) end = line.size();
    field = line.substr(at, end - at);
    if (field.empty()) return false;
    if (i == 0 && field.back() != ':') return false;
    at = end;
  }
  if (!parse_decimal(field, out.inode)) return false;
  if (at + 1 >= line.size()) return false;  // unbound: no path
  out.path = std::string(line.substr(at + 1));
  return true;
}

}  // namespace

std::vector<InetSocket> parse_inet_sockets(const std::string& text, bool v6) {
  std::vector<InetSocket> out;
  for (std::string_view line : lines_of(text)) {
    InetSocket socket;
    if (parse_inet_line(line, v6, socket)) out.push_back(socket);
  }
  return out;
}

Result<std::vector<InetSocket>> read_inet_sockets(const std::string& proc_root, const std::string& table) {
  const bool v6 = table.size() > 1 && table.back() == '6';
  auto text = read_file(proc_root + "/net/" + table);
  if (!text) return tl::unexpected(text.error());
  return parse_inet_sockets(*text, v6);
}

std::vector<UnixSocket> parse_unix_sockets(const std::string& text) {
  std::vector<UnixSocket> out;
  for (std::string_view line : lines_of(text)) {
    UnixSocket socket;
    if (parse_unix_line(line, socket)) out.push_back(std::move(socket));
  }
  return out;
}

Result<std::vector<UnixSocket>> read_unix_sockets(const std::string& proc_root) {
  auto text = read_file(proc_root + "/net/unix");
  if (!text) return tl::unexpected(text.error());
  return parse_unix_sockets(*text);
}

Result<DeviceNumber> socket_device() {
  UniqueFd sock(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) return fail_errno("socket");
  struct statx stx {};
  if (::statx(sock.get(), "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_INO, &stx) != 0)
    return fail_errno("statx", "(socket)");
  return DeviceNumber{stx.stx_dev_major, stx.stx_dev_minor};
}

}  // namespace detach

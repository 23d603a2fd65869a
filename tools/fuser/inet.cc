// SPDX-License-Identifier: GPL-2.0-or-later
#include "inet.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

#include "cli/i18n.h"

namespace fuser {
namespace {

constexpr std::size_t kHostSpecMax = 99;

using AddrInfo = std::unique_ptr<addrinfo, decltype(&freeaddrinfo)>;

addrinfo hints_for(const InetParts& parts, bool ipv4_only, bool ipv6_only) {
  addrinfo hints{};
  hints.ai_family = ipv6_only ? AF_INET6 : ipv4_only ? AF_INET : AF_UNSPEC;
  hints.ai_socktype = parts.stream ? SOCK_STREAM : SOCK_DGRAM;
  return hints;
}

const char* c_str_or_null(const std::optional<std::string>& s) {
  return s ? s->c_str() : nullptr;
}

Connection any_connection(bool v6, std::uint16_t local_port) {
  Connection c;
  c.v6 = v6;
  c.local_port = local_port;
  return c;
}

}  // namespace

InetParts split_inet_name(const std::string& filename) {
  InetParts parts;
  const std::size_t slash = filename.find('/');
  parts.stream = slash != std::string::npos && filename.compare(slash + 1, std::string::npos, "tcp") == 0;
  std::string spec = filename.substr(0, std::min(slash, kHostSpecMax));
  const std::size_t comma = spec.find(',');
  if (comma == std::string::npos) {
    parts.local_port = spec;
    return parts;
  }
  if (comma > 0) parts.local_port = spec.substr(0, comma);
  std::string rest = spec.substr(comma + 1);
  if (rest.empty()) return parts;
  const std::size_t second = rest.find(',');
  if (second == std::string::npos) {
    parts.remote_host = rest;
    return parts;
  }
  if (second > 0) parts.remote_host = rest.substr(0, second);
  if (second + 1 < rest.size()) parts.remote_port = rest.substr(second + 1);
  return parts;
}

Resolved resolve_inet(const InetParts& parts, bool ipv4_only, bool ipv6_only) {
  Resolved out;
  const addrinfo hints = hints_for(parts, ipv4_only, ipv6_only);
  std::uint16_t local_port = 0;
  if (parts.local_port) {
    addrinfo* found = nullptr;
    if (int rc = getaddrinfo(nullptr, parts.local_port->c_str(), &hints, &found); rc != 0) {
      out.error = cli::cformat(cli::psmisc("Cannot resolve local port %s: %s\n"), parts.local_port->c_str(),
                               gai_strerror(rc));
      return out;
    }
    AddrInfo owner(found, freeaddrinfo);
    if (found == nullptr) return out;
    if (found->ai_family == AF_INET) {
      local_port = ntohs(reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_port);
    } else if (found->ai_family == AF_INET6) {
      local_port = ntohs(reinterpret_cast<const sockaddr_in6*>(found->ai_addr)->sin6_port);
    } else {
      out.error = cli::cformat(cli::psmisc("Unknown local port AF %d\n"), found->ai_family);
      return out;
    }
  }
  if (!parts.remote_host && !parts.remote_port) {
    // Any peer: both families, whatever -4/-6 said (they choose the tables that are read).
    out.connections = {any_connection(false, local_port), any_connection(true, local_port)};
    return out;
  }
  addrinfo* found = nullptr;
  if (getaddrinfo(c_str_or_null(parts.remote_host), c_str_or_null(parts.remote_port), &hints, &found) != 0)
    return out;
  AddrInfo owner(found, freeaddrinfo);
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    Connection c;
    c.local_port = local_port;
    c.any_address = !parts.remote_host;
    if (a->ai_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
      c.remote_port = ntohs(sin->sin_port);
      std::memcpy(c.remote_address.data(), &sin->sin_addr, sizeof sin->sin_addr);
    } else if (a->ai_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
      c.v6 = true;
      c.remote_port = ntohs(sin6->sin6_port);
      std::memcpy(c.remote_address.data(), &sin6->sin6_addr, sizeof sin6->sin6_addr);
    } else {
      continue;
    }
    out.connections.push_back(c);
  }
  return out;
}

bool connection_matches(const Connection& c, const detach::InetSocket& socket) {
  if (c.v6 != socket.v6) return false;
  if (c.local_port != 0 && c.local_port != socket.local_port) return false;
  if (c.remote_port != 0 && c.remote_port != socket.remote_port) return false;
  // psmisc compares an address the resolver gave as is: an all-zero one matches any peer too.
  static const std::array<std::uint8_t, 16> kZero{};
  if (c.any_address || c.remote_address == kZero) return true;
  return std::memcmp(c.remote_address.data(), socket.remote_address.data(), c.v6 ? 16 : 4) == 0;
}

}  // namespace fuser

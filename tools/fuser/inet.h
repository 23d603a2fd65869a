// SPDX-License-Identifier: GPL-2.0-or-later
// tcp and udp names: psmisc's [local_port][,[rmt_host][,[rmt_port]]], split, resolved and matched against
// the kernel's socket tables.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/socket.h"

namespace fuser {

struct InetParts {
  std::optional<std::string> local_port;
  std::optional<std::string> remote_host;
  std::optional<std::string> remote_port;
  // What getaddrinfo is asked for: a stream socket when the text after the name's first '/' is "tcp". (A name
  // that has a '/' of its own, "a/b" in -n tcp, asks for datagrams, as in psmisc.)
  bool stream = false;
};

// FILENAME is the name as psmisc keeps it, with its space ("80,,22/tcp"). Only its first 99 characters before
// the first '/' are read, as psmisc's buffer does.
InetParts split_inet_name(const std::string& filename);

// One socket a name asks for; 0 and any_address match anything.
struct Connection {
  bool v6 = false;
  std::uint16_t local_port = 0;
  std::uint16_t remote_port = 0;
  bool any_address = true;
  std::array<std::uint8_t, 16> remote_address{};  // network byte order; IPv4 in the first 4 bytes
};

struct Resolved {
  std::vector<Connection> connections;
  std::string error;  // psmisc's message (a line) when the local port did not resolve; empty otherwise
};

// getaddrinfo() as psmisc calls it: the local port first (an unknown one is an error), then the remote host
// and port (an unknown one matches nothing, silently). IPV4_ONLY/IPV6_ONLY: the -4/-6 in effect at the name.
Resolved resolve_inet(const InetParts& parts, bool ipv4_only, bool ipv6_only);

bool connection_matches(const Connection& c, const detach::InetSocket& socket);

}  // namespace fuser

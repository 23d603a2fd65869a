// SPDX-License-Identifier: GPL-2.0-or-later
// tcp and udp names: psmisc's [lcl_port][,[rmt_host][,[rmt_port]]] split, and sockets matched against them.
#include "inet.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>

namespace fuser {
namespace {

using Opt = std::optional<std::string>;

// Given each form of the name, we should split it as psmisc does.
TEST(InetName, Forms) {
  InetParts p = split_inet_name("80/tcp");
  EXPECT_EQ(p.local_port, Opt("80"));
  EXPECT_EQ(p.remote_host, std::nullopt);
  EXPECT_TRUE(p.stream);
  p = split_inet_name("80,example.org,443/tcp");
  EXPECT_EQ(p.local_port, Opt("80"));
  EXPECT_EQ(p.remote_host, Opt("example.org"));
  EXPECT_EQ(p.remote_port, Opt("443"));
  p = split_inet_name(",,5432/tcp");
  EXPECT_EQ(p.local_port, std::nullopt);
  EXPECT_EQ(p.remote_host, std::nullopt);
  EXPECT_EQ(p.remote_port, Opt("5432"));
  p = split_inet_name(",192.0.2.7/udp");
  EXPECT_EQ(p.local_port, std::nullopt);
  EXPECT_EQ(p.remote_host, Opt("192.0.2.7"));
  EXPECT_FALSE(p.stream);
  p = split_inet_name("53,/udp");  // a comma and nothing after it
  EXPECT_EQ(p.local_port, Opt("53"));
  EXPECT_EQ(p.remote_host, std::nullopt);
  EXPECT_EQ(p.remote_port, std::nullopt);
  p = split_inet_name("1,,/tcp");
  EXPECT_EQ(p.remote_host, std::nullopt);
  EXPECT_EQ(p.remote_port, std::nullopt);
}

// Given a name with a '/' of its own (-n tcp a/b), we should ask for datagrams, as psmisc does; and read only
// the first 99 characters before the '/'.
TEST(InetName, Quirks) {
  EXPECT_FALSE(split_inet_name("a/b/tcp").stream);
  EXPECT_EQ(split_inet_name("a/b/tcp").local_port, Opt("a"));
  EXPECT_EQ(split_inet_name(std::string(150, '1') + "/tcp").local_port, Opt(std::string(99, '1')));
  EXPECT_EQ(split_inet_name("/tcp").local_port, Opt(""));
}

detach::InetSocket V4Socket(std::uint16_t local, const char* remote, std::uint16_t remote_port) {
  detach::InetSocket s;
  s.local_port = local;
  s.remote_port = remote_port;
  in_addr a{};
  inet_pton(AF_INET, remote, &a);
  std::memcpy(s.remote_address.data(), &a, 4);
  s.inode = 7;
  return s;
}

// Given connections with wildcards, we should match on the parts given only, and never across families.
TEST(InetName, ConnectionMatches) {
  Connection any;
  any.local_port = 80;
  EXPECT_TRUE(connection_matches(any, V4Socket(80, "192.0.2.7", 5000)));
  EXPECT_FALSE(connection_matches(any, V4Socket(81, "192.0.2.7", 5000)));
  Connection peer;
  peer.any_address = false;
  inet_pton(AF_INET, "192.0.2.7", peer.remote_address.data());
  peer.remote_port = 5000;
  EXPECT_TRUE(connection_matches(peer, V4Socket(1234, "192.0.2.7", 5000)));
  EXPECT_FALSE(connection_matches(peer, V4Socket(1234, "192.0.2.8", 5000)));
  EXPECT_FALSE(connection_matches(peer, V4Socket(1234, "192.0.2.7", 5001)));
  Connection v6 = any;
  v6.v6 = true;
  EXPECT_FALSE(connection_matches(v6, V4Socket(80, "192.0.2.7", 5000)));
}

// Given a numeric local port and no peer, we should resolve to both families with that port (psmisc leaves
// -4/-6 to choose the tables); an unknown service is psmisc's message.
TEST(InetName, ResolveNumericPorts) {
  Resolved r = resolve_inet(split_inet_name("8080/tcp"), false, false);
  EXPECT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.connections.size(), 2u);
  EXPECT_EQ(r.connections[0].local_port, 8080);
  EXPECT_FALSE(r.connections[0].v6);
  EXPECT_TRUE(r.connections[1].v6);
  Resolved bad = resolve_inet(split_inet_name("no-such-service-x/tcp"), false, false);
  EXPECT_TRUE(bad.connections.empty());
  EXPECT_EQ(bad.error.rfind("Cannot resolve local port no-such-service-x: ", 0), 0u) << bad.error;
  Resolved peer = resolve_inet(split_inet_name(",127.0.0.1,22/tcp"), true, false);
  ASSERT_EQ(peer.connections.size(), 1u);
  EXPECT_EQ(peer.connections[0].remote_port, 22);
  EXPECT_FALSE(peer.connections[0].any_address);
}

}  // namespace
}  // namespace fuser

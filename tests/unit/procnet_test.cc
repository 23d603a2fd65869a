// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/net socket tables and the NFS exports list on fixture bytes, hostile ones included: what ties a port
// or a socket path to the processes that hold it.
#include "kernel/procnet.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "fixture_tree.h"
#include "kernel/nfsd.h"

namespace detach {
namespace {

constexpr const char* kTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 0100007F:15B3 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4075761 1 "
    "000000002000e989 100 0 0 10 0\n"
    "   1: 0100007F:C55C 0100007F:15B3 01 00000000:00000000 00:00000000 00000000  1000        0 4075763 2 "
    "00000000ebdcb3ab 20 0 0 10 -1\n"
    "   2: 0100007F:D431 0100007F:15B3 06 00000000:00000000 03:00000FB1 00000000     0        0 0 3 "
    "0000000000000000\n";

std::array<std::uint8_t, 16> V4(const char* text) {
  std::array<std::uint8_t, 16> out{};
  inet_pton(AF_INET, text, out.data());
  return out;
}

// Given a tcp table, we should read each socket's local port, peer and inode (the peer's bytes as in_addr has
// them), and keep a socket being torn down with inode 0.
TEST(ParseInetSockets, ReadsPortsPeersAndInodes) {
  std::vector<InetSocket> s = parse_inet_sockets(kTcp, false);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].local_port, 5555);
  EXPECT_EQ(s[0].remote_port, 0);
  EXPECT_EQ(s[0].remote_address, V4("0.0.0.0"));
  EXPECT_EQ(s[0].inode, 4075761u);
  EXPECT_EQ(s[1].local_port, 0xC55C);
  EXPECT_EQ(s[1].remote_address, V4("127.0.0.1"));
  EXPECT_EQ(s[1].remote_port, 5555);
  EXPECT_FALSE(s[1].v6);
  EXPECT_EQ(s[2].inode, 0u);
}

// Given a tcp6 table, we should read 16-byte addresses word by word.
TEST(ParseInetSockets, ReadsIpv6Addresses) {
  const std::string text =
      "  sl  local_address                         remote_address                        st tx_queue "
      "rx_queue "
      "tr tm->when retrnsmt   uid  timeout inode\n"
      "   0: 00000000000000000000000001000000:15B5 00000000000000000000000001000000:9C40 01 "
      "00000000:00000000 "
      "00:00000000 00000000     0        0 4075800 1 0000000000000000 100 0 0 10 0\n";
  std::vector<InetSocket> s = parse_inet_sockets(text, true);
  ASSERT_EQ(s.size(), 1u);
  std::array<std::uint8_t, 16> loopback{};
  inet_pton(AF_INET6, "::1", loopback.data());
  EXPECT_TRUE(s[0].v6);
  EXPECT_EQ(s[0].local_port, 5557);
  EXPECT_EQ(s[0].remote_address, loopback);
  EXPECT_EQ(s[0].remote_port, 40000);
  // An IPv4 reading of a v6 line, and a v6 reading of a v4 line, find nothing.
  EXPECT_TRUE(parse_inet_sockets(text, false).empty());
  EXPECT_TRUE(parse_inet_sockets(kTcp, true).empty());
}

// Given lines cut short, garbage, fields out of range and no trailing newline, we should skip what is not a
// socket and read what is.
TEST(ParseInetSockets, SkipsHostileLines) {
  const std::string text = std::string(kTcp).substr(0, std::string(kTcp).size() - 40) + "\n" +
                           "   3: 0100007F:15B3 00000000:0000 0A\n"                       // cut short
                           "   4: 0100007F:1FFFFF 00000000:0000 0A 0:0 0:0 0 0 0 77 1\n"  // port past 16 bits
                           "   5: 0100007G:15B3 00000000:0000 0A 0:0 0:0 0 0 0 78 1\n"    // not hex
                           "   6: 0100007F:15B3 00000000:0000 0A 0:0 0:0 0 0 0 -5 1\n"    // negative inode
                           "garbage\n\n\xff\xfe\n"
                           "   7: 0100007F:0050 00000000:0000 0A 0:0 0:0 0 0 0 79";  // no newline at the end
  std::vector<InetSocket> s = parse_inet_sockets(text, false);
  ASSERT_EQ(s.size(), 3u);  // the two whole lines of kTcp, and the last one
  EXPECT_EQ(s[2].local_port, 80);
  EXPECT_EQ(s[2].inode, 79u);
}

// Given 10,000 sockets, we should read them all.
TEST(ParseInetSockets, HugeTable) {
  std::string text = "  sl  local_address rem_address   st\n";
  for (int i = 0; i < 10000; ++i) {
    char line[200];
    std::snprintf(line, sizeof line,
                  "%5d: 0100007F:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 %d\n", i,
                  i % 65536, 100000 + i);
    text += line;
  }
  std::vector<InetSocket> s = parse_inet_sockets(text, false);
  ASSERT_EQ(s.size(), 10000u);
  EXPECT_EQ(s.back().inode, 109999u);
}

// Given /proc/net/unix, we should keep the bound sockets with their paths (blanks and all, an abstract one
// with its '@'), and leave out the unbound ones and what is no socket line.
TEST(ParseUnixSockets, ReadsBoundPaths) {
  const std::string text =
      "Num       RefCount Protocol Flags    Type St Inode Path\n"
      "0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/x.sock\n"
      "0000000000000000: 00000002 00000000 00000000 0002 01  9876\n"
      "0000000000000000: 00000003 00000000 00000000 0001 03   777 /tmp/with space/s\n"
      "0000000000000000: 00000002 00000000 00010000 0001 01 4242 @abstract@name\n"
      "0000000000000000: 00000002 00000000 00010000 0001 01 5151 /tmp/caf\xc3\xa9\n"
      "0000000000000000: 00000002 00000000 00010000 0001 01 6161 /tmp/new\n"
      "line\n"
      "0000000000000000: 00000002 00000000 00010000 0001\n"
      "0000000000000000: 00000002 00000000 00010000 0001 01 x1 /bad/inode\n";
  std::vector<UnixSocket> s = parse_unix_sockets(text);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].inode, 12345u);
  EXPECT_EQ(s[0].path, "/run/x.sock");
  EXPECT_EQ(s[1].inode, 777u);
  EXPECT_EQ(s[1].path, "/tmp/with space/s");
  EXPECT_EQ(s[2].path, "@abstract@name");
  EXPECT_EQ(s[3].path, "/tmp/caf\xc3\xa9");
  EXPECT_EQ(s[4].path, "/tmp/new");  // the kernel writes a newline as it is: the path is cut there
}

// Given the tables through a fixture proc root, we should read them, and fail with the error of a missing
// one.
TEST(ReadSockets, FromAFixtureRoot) {
  testing::FixtureTree tree;
  tree.write("net/tcp", kTcp);
  tree.write("net/unix",
             "Num       RefCount Protocol Flags    Type St Inode Path\n"
             "0000000000000000: 00000002 00000000 00010000 0001 01 12345 /run/x.sock\n");
  auto tcp = read_inet_sockets(tree.root(), "tcp");
  ASSERT_TRUE(tcp.has_value());
  EXPECT_EQ(tcp->size(), 3u);
  auto udp6 = read_inet_sockets(tree.root(), "udp6");
  ASSERT_FALSE(udp6.has_value());
  EXPECT_EQ(udp6.error().err, ENOENT);
  auto unix_sockets = read_unix_sockets(tree.root());
  ASSERT_TRUE(unix_sockets.has_value());
  EXPECT_EQ(unix_sockets->size(), 1u);
}

// Given the kernel NFS server's exports, we should keep the paths (unescaped) and skip the comments.
TEST(ParseNfsExports, PathsUnescaped) {
  EXPECT_EQ(parse_nfs_exports("# Version 1.1\n# Path Client(Flags) # IPs\n/srv/nfs\t*(rw,root_squash)\n"
                              "/srv/with\\040space\t192.0.2.0/24(ro)\n\n/srv/last"),
            (std::vector<std::string>{"/srv/nfs", "/srv/with space", "/srv/last"}));
  EXPECT_TRUE(parse_nfs_exports("").empty());
}

// Given a live socket, we should find sockfs's device: anonymous, as every pseudo filesystem's.
TEST(SocketDevice, IsAnonymous) {
  auto dev = socket_device();
  ASSERT_TRUE(dev.has_value()) << dev.error().message();
  EXPECT_TRUE(dev->anonymous());
  EXPECT_NE(dev->minor, 0u);
}

}  // namespace
}  // namespace detach

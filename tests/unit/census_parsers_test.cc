// SPDX-License-Identifier: GPL-2.0-or-later
// The parsers of the kernel-pins census: an io_uring ring's fdinfo (its registered files), a unix socket's
// fdinfo (files in flight), and sock_diag's AF_UNIX dump (bound path's device, receive queue).
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>

#include <cstring>
#include <string>

#include "kernel/ext_superblock.h"
#include "kernel/io_uring.h"
#include "kernel/procfs.h"
#include "kernel/unix_diag.h"

namespace detach {
namespace {

// The fdinfo of a ring as 6.18 prints it, with its file lines in the middle.
std::string ring_fdinfo(const std::string& count, const std::string& files) {
  return "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t624356\nSqMask:\t0x3\nSqHead:\t0\nSQEs:\t0\n"
         "SqThread:\t-1\nUserFiles:\t" +
         count + "\n" + files + "UserBufs:\t0\nPollList:\nNAPI:\tdisabled\n";
}

TEST(ParseRingFiles, GivenARingWithTwoFilesWeShouldGetTheirSlotsAndPaths) {
  RingFiles ring = parse_ring_files(ring_fdinfo("2", "    0: /tmp/x/ringfile\n    7: /data/log\n"));
  EXPECT_TRUE(ring.is_ring);
  EXPECT_EQ(ring.count, 2U);
  ASSERT_EQ(ring.files.size(), 2U);
  EXPECT_EQ(ring.files[0].slot, 0U);
  EXPECT_EQ(ring.files[0].path, "/tmp/x/ringfile");
  EXPECT_EQ(ring.files[1].slot, 7U);
  EXPECT_EQ(ring.files[1].path, "/data/log");
}

TEST(ParseRingFiles, GivenEscapedBlanksNewlinesAndBackslashesWeShouldGetTheRawPath) {
  // seq_file_path escapes " \t\n\\" as \ooo.
  RingFiles ring = parse_ring_files(ring_fdinfo("1", "    3: /a\\040b\\012c\\134d\\011e\n"));
  ASSERT_EQ(ring.files.size(), 1U);
  EXPECT_EQ(ring.files[0].path, std::string("/a b\nc\\d\te"));
}

TEST(ParseRingFiles, GivenBytesThatAreNotUtf8WeShouldKeepThemAsTheyAre) {
  RingFiles ring = parse_ring_files(ring_fdinfo("1", "    0: /x/\xff\xfe\n"));
  ASSERT_EQ(ring.files.size(), 1U);
  EXPECT_EQ(ring.files[0].path, "/x/\xff\xfe");
}

TEST(ParseRingFiles, GivenABusyRingWeShouldKeepTheCountWithoutFiles) {
  // The kernel lists the files only when it gets the ring's lock.
  RingFiles ring = parse_ring_files(ring_fdinfo("3", ""));
  EXPECT_TRUE(ring.is_ring);
  EXPECT_EQ(ring.count, 3U);
  EXPECT_TRUE(ring.files.empty());
}

TEST(ParseRingFiles, GivenATextCutShortWeShouldKeepWhatCameWhole) {
  RingFiles ring = parse_ring_files("UserFiles:\t2\n    0: /a\n    1");
  ASSERT_EQ(ring.files.size(), 1U);
  EXPECT_EQ(ring.files[0].path, "/a");
}

TEST(ParseRingFiles, GivenAnotherFdWeShouldFindNoRing) {
  RingFiles ring = parse_ring_files("pos:\t0\nflags:\t02\nmnt_id:\t10\nino:\t5\nscm_fds: 0\n");
  EXPECT_FALSE(ring.is_ring);
  EXPECT_TRUE(ring.files.empty());
}

TEST(ParseRingFiles, GivenJunkAsTheCountOrSlotWeShouldListNothing) {
  EXPECT_TRUE(parse_ring_files("UserFiles:\t-1\n    0: /a\n").files.empty());
  EXPECT_TRUE(parse_ring_files("UserFiles:\t1\n   +0: /a\n").files.empty());
  EXPECT_TRUE(parse_ring_files("UserFiles:\t1\n    0:/a\n").files.empty());
}

TEST(ParseRingFiles, GivenTenThousandFilesWeShouldGetThemAll) {
  std::string lines;
  for (int i = 0; i < 10000; ++i) lines += "    " + std::to_string(i) + ": /f/" + std::to_string(i) + "\n";
  RingFiles ring = parse_ring_files(ring_fdinfo("10000", lines));
  ASSERT_EQ(ring.files.size(), 10000U);
  EXPECT_EQ(ring.files.back().path, "/f/9999");
}

TEST(ParseFdinfo, GivenAUnixSocketWeShouldGetItsFilesInFlight) {
  auto info = parse_fdinfo("pos:\t0\nflags:\t02\nmnt_id:\t10\nino:\t624358\nscm_fds: 2\n");
  ASSERT_TRUE(info.has_value());
  ASSERT_TRUE(info->scm_fds.has_value());
  EXPECT_EQ(*info->scm_fds, 2U);
}

TEST(ParseFdinfo, GivenAFileWeShouldGetNoFilesInFlight) {
  auto info = parse_fdinfo("pos:\t0\nflags:\t0100000\nmnt_id:\t60\nino:\t93\n");
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->scm_fds.has_value());
}

TEST(ParseFdinfo, GivenJunkAsTheCountWeShouldGetNoCount) {
  auto info = parse_fdinfo("mnt_id:\t10\nscm_fds: -2\n");
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->scm_fds.has_value());
}

// sock_diag replies, built as the kernel builds them.
class UnixDiagReply {
 public:
  UnixDiagReply& socket(std::uint32_t inode, std::uint8_t type = SOCK_STREAM) {
    start_ = bytes_.size();
    nlmsghdr h{};
    h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    append(&h, sizeof h);
    unix_diag_msg m{};
    m.udiag_family = AF_UNIX;
    m.udiag_type = type;
    m.udiag_ino = inode;
    append(&m, sizeof m);
    return finish();
  }
  UnixDiagReply& vfs(std::uint32_t kernel_dev, std::uint32_t ino) {
    unix_diag_vfs v{ino, kernel_dev};
    return attribute(UNIX_DIAG_VFS, &v, sizeof v);
  }
  UnixDiagReply& rqlen(std::uint32_t rq) {
    unix_diag_rqlen r{rq, 0};
    return attribute(UNIX_DIAG_RQLEN, &r, sizeof r);
  }
  UnixDiagReply& name(const std::string& raw) { return attribute(UNIX_DIAG_NAME, raw.data(), raw.size()); }
  UnixDiagReply& done() {
    nlmsghdr h{};
    h.nlmsg_len = NLMSG_HDRLEN;
    h.nlmsg_type = NLMSG_DONE;
    append(&h, sizeof h);
    return *this;
  }
  std::string bytes() const { return bytes_; }

 private:
  void append(const void* p, std::size_t n) {
    bytes_.append(static_cast<const char*>(p), n);
    bytes_.resize(NLMSG_ALIGN(bytes_.size()), '\0');
  }
  UnixDiagReply& attribute(unsigned short type, const void* p, std::size_t n) {
    rtattr a{};
    a.rta_len = static_cast<unsigned short>(RTA_LENGTH(n));
    a.rta_type = type;
    bytes_.append(reinterpret_cast<const char*>(&a), sizeof a);
    bytes_.append(static_cast<const char*>(p), n);
    bytes_.resize(start_ + NLMSG_ALIGN(bytes_.size() - start_), '\0');
    return finish();
  }
  UnixDiagReply& finish() {
    auto len = static_cast<std::uint32_t>(bytes_.size() - start_);
    std::memcpy(bytes_.data() + start_, &len, sizeof len);
    return *this;
  }
  std::string bytes_;
  std::size_t start_ = 0;
};

TEST(ParseUnixDiag, GivenABoundSocketWeShouldGetItsFilesDeviceInTheKernelsEncoding) {
  // MKDEV(7, 3) as the kernel keeps it: major << 20 | minor.
  std::string reply =
      UnixDiagReply().socket(624359).vfs((7U << 20) | 3U, 12).rqlen(0).name("mb/sock").done().bytes();
  bool done = false;
  std::vector<UnixDiagSocket> sockets = parse_unix_diag(reply, done);
  EXPECT_TRUE(done);
  ASSERT_EQ(sockets.size(), 1U);
  EXPECT_EQ(sockets[0].inode, 624359U);
  EXPECT_TRUE(sockets[0].bound);
  EXPECT_EQ(sockets[0].vfs_dev, (DeviceNumber{7, 3}));
  EXPECT_EQ(sockets[0].vfs_ino, 12U);
  EXPECT_EQ(sockets[0].name, "mb/sock");
  EXPECT_FALSE(sockets[0].may_hold_files_in_flight());
}

TEST(ParseUnixDiag, GivenAnAbstractSocketWeShouldNameItWithAnAt) {
  std::string reply = UnixDiagReply().socket(5).name(std::string("\0abstract", 9)).bytes();
  bool done = false;
  std::vector<UnixDiagSocket> sockets = parse_unix_diag(reply, done);
  EXPECT_FALSE(done);
  ASSERT_EQ(sockets.size(), 1U);
  EXPECT_FALSE(sockets[0].bound);
  EXPECT_EQ(sockets[0].name, "@abstract");
}

TEST(ParseUnixDiag, GivenQueuedBytesOrADatagramSocketWeShouldSayFilesMayBeInFlight) {
  std::string reply = UnixDiagReply().socket(1).rqlen(1).socket(2, SOCK_DGRAM).rqlen(0).socket(3).bytes();
  bool done = false;
  std::vector<UnixDiagSocket> sockets = parse_unix_diag(reply, done);
  ASSERT_EQ(sockets.size(), 3U);
  EXPECT_TRUE(sockets[0].may_hold_files_in_flight());
  EXPECT_TRUE(sockets[1].may_hold_files_in_flight());  // a datagram may carry files and no byte
  EXPECT_TRUE(sockets[2].may_hold_files_in_flight());  // no queue length came: cannot rule it out
}

TEST(ParseUnixDiag, GivenAReplyCutShortWeShouldKeepTheWholeMessagesOnly) {
  std::string reply = UnixDiagReply().socket(1).rqlen(0).socket(2).vfs(1, 2).bytes();
  for (std::size_t cut = 0; cut < reply.size(); ++cut) {
    bool done = false;
    std::vector<UnixDiagSocket> sockets = parse_unix_diag(std::string_view(reply).substr(0, cut), done);
    EXPECT_LE(sockets.size(), 2U);
    for (const UnixDiagSocket& s : sockets) EXPECT_TRUE(s.inode == 1 || s.inode == 2);
  }
}

TEST(ParseUnixDiag, GivenAMessageOfAnotherFamilyWeShouldSkipIt) {
  std::string reply = UnixDiagReply().socket(9).bytes();
  reply[NLMSG_HDRLEN] = AF_INET;  // udiag_family
  bool done = false;
  EXPECT_TRUE(parse_unix_diag(reply, done).empty());
}

// An ext2/3/4 superblock as mkfs.ext4 leaves it, with only the fields the reader looks at set.
std::string ExtSuperblock(std::uint32_t mtime, std::uint8_t mtime_hi, std::uint16_t magic = 0xEF53) {
  std::string sb(1024, '\0');
  for (int i = 0; i < 4; ++i) sb[0x2C + i] = static_cast<char>((mtime >> (8 * i)) & 0xFF);
  sb[0x38] = static_cast<char>(magic & 0xFF);
  sb[0x39] = static_cast<char>(magic >> 8);
  sb[0x275] = static_cast<char>(mtime_hi);
  return sb;
}

TEST(ParseExtMountTime, GivenASuperblockWeShouldGetItsLastMountTime) {
  EXPECT_EQ(parse_ext_mount_time(ExtSuperblock(1796600155u, 0)), 1796600155LL);
}

TEST(ParseExtMountTime, GivenTheHighByteWeShouldGetATimeAfter2106) {
  EXPECT_EQ(parse_ext_mount_time(ExtSuperblock(5u, 1)), (1LL << 32) + 5);
}

TEST(ParseExtMountTime, GivenNoExtMagicOrAShortBlockWeShouldGetNothing) {
  EXPECT_EQ(parse_ext_mount_time(ExtSuperblock(1796600155u, 0, 0)), std::nullopt);
  EXPECT_EQ(parse_ext_mount_time(ExtSuperblock(1796600155u, 0).substr(0, 1000)), std::nullopt);
  EXPECT_EQ(parse_ext_mount_time(""), std::nullopt);
}

}  // namespace
}  // namespace detach

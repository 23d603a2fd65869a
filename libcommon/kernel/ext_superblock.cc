// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel/ext_superblock.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "base/unique_fd.h"

namespace detach {

namespace {

constexpr std::size_t kSuperblockOffset = 1024;
constexpr std::size_t kSuperblockSize = 1024;
constexpr std::size_t kMtime = 0x2C;     // __le32 s_mtime
constexpr std::size_t kMagic = 0x38;     // __le16 s_magic
constexpr std::size_t kMtimeHi = 0x275;  // __u8 s_mtime_hi (0 on filesystems made before it existed)
constexpr std::uint16_t kExtMagic = 0xEF53;

std::uint64_t little_endian(std::string_view bytes, std::size_t at, std::size_t size) {
  std::uint64_t v = 0;
  for (std::size_t i = size; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

}  // namespace

std::optional<long long> parse_ext_mount_time(std::string_view superblock) {
  if (superblock.size() < kSuperblockSize) return std::nullopt;
  if (little_endian(superblock, kMagic, 2) != kExtMagic) return std::nullopt;
  const std::uint64_t seconds =
      little_endian(superblock, kMtime, 4) | (little_endian(superblock, kMtimeHi, 1) << 32);
  return static_cast<long long>(seconds);
}

Result<long long> read_ext_mount_time(const std::string& device) {
  UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd) return fail(errno, "open", device);
  std::string block(kSuperblockSize, '\0');
  const ssize_t n = ::pread(fd.get(), block.data(), block.size(), kSuperblockOffset);
  if (n < 0) return fail(errno, "pread", device);
  block.resize(static_cast<std::size_t>(n));
  std::optional<long long> at = parse_ext_mount_time(block);
  if (!at) return fail(EINVAL, "read", device, "no ext2/3/4 superblock");
  return *at;
}

}  // namespace detach

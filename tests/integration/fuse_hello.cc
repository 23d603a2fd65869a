// SPDX-License-Identifier: GPL-2.0-or-later
// A minimal FUSE filesystem for the dead-daemon test: "/" holds one file, "hello". Run in the foreground,
// single-threaded: itest-fuse-hello -f -s MOUNTPOINT. The kernel caches nothing it says (attributes, names,
// missing names): once the daemon is stopped, the next stat or lookup inside waits on it, with no cache to
// outlast first.
#define FUSE_USE_VERSION 31
#include <fcntl.h>
#include <fuse.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace {

constexpr std::string_view kContent = "hello\n";
constexpr std::string_view kName = "/hello";

int GetAttr(const char* path, struct stat* st, fuse_file_info*) {
  std::memset(st, 0, sizeof *st);
  if (std::string_view(path) == "/") {
    st->st_mode = S_IFDIR | 0755;
    st->st_nlink = 2;
    return 0;
  }
  if (std::string_view(path) != kName) return -ENOENT;
  st->st_mode = S_IFREG | 0444;
  st->st_nlink = 1;
  st->st_size = static_cast<off_t>(kContent.size());
  return 0;
}

int ReadDir(const char* path, void* buf, fuse_fill_dir_t fill, off_t, fuse_file_info*, fuse_readdir_flags) {
  if (std::string_view(path) != "/") return -ENOENT;
  fill(buf, ".", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  fill(buf, "..", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  fill(buf, kName.data() + 1, nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  return 0;
}

int Open(const char* path, fuse_file_info* info) {
  if (std::string_view(path) != kName) return -ENOENT;
  if ((info->flags & O_ACCMODE) != O_RDONLY) return -EACCES;
  return 0;
}

int Read(const char* path, char* buf, size_t size, off_t offset, fuse_file_info*) {
  if (std::string_view(path) != kName) return -ENOENT;
  if (offset < 0 || static_cast<size_t>(offset) >= kContent.size()) return 0;
  const size_t count = std::min(size, kContent.size() - static_cast<size_t>(offset));
  std::memcpy(buf, kContent.data() + offset, count);
  return static_cast<int>(count);
}

}  // namespace

void* Init(fuse_conn_info*, fuse_config* config) {
  config->attr_timeout = 0;
  config->entry_timeout = 0;
  config->negative_timeout = 0;
  return nullptr;
}

int main(int argc, char* argv[]) {
  fuse_operations operations{};
  operations.init = Init;
  operations.getattr = GetAttr;
  operations.readdir = ReadDir;
  operations.open = Open;
  operations.read = Read;
  return fuse_main(argc, argv, &operations, nullptr);
}

// SPDX-License-Identifier: GPL-2.0-or-later
// A minimal FUSE filesystem for the dead-daemon tests: "/" holds one file, "hello", and any socket bound
// there (mknod of S_IFSOCK: a unix socket's bind). Run in the foreground, single-threaded: itest-fuse-hello
// -f -s MOUNTPOINT. The kernel caches nothing it says (attributes, names,
// missing names): once the daemon is stopped, the next stat or lookup inside waits on it, with no cache to
// outlast first.
#define FUSE_USE_VERSION 31
#include <fcntl.h>
#include <fuse.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kContent = "hello\n";
constexpr std::string_view kName = "/hello";

// The sockets bound in "/", by path: main's, handed to every call as the filesystem's private data. fuse_main
// runs single-threaded (-s): no lock.
using SocketPaths = std::set<std::string, std::less<>>;
SocketPaths& Sockets() {
  return *static_cast<SocketPaths*>(fuse_get_context()->private_data);
}

int GetAttr(const char* path, struct stat* st, fuse_file_info*) {
  std::memset(st, 0, sizeof *st);
  if (std::string_view(path) == "/") {
    st->st_mode = S_IFDIR | 0755;
    st->st_nlink = 2;
    return 0;
  }
  if (Sockets().contains(std::string_view(path))) {
    st->st_mode = S_IFSOCK | 0755;
    st->st_nlink = 1;
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
  for (const std::string& socket : Sockets())
    fill(buf, socket.c_str() + 1, nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  return 0;
}

// Sockets only, directly in "/": what bind(2) of a unix socket asks for.
int MakeNode(const char* path, mode_t mode, dev_t) {
  const std::string_view name(path);
  if (!S_ISSOCK(mode)) return -EPERM;
  if (name == kName || Sockets().contains(name)) return -EEXIST;
  if (name.size() < 2 || name.find('/', 1) != std::string_view::npos) return -EPERM;
  Sockets().emplace(name);
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
  return fuse_get_context()->private_data;  // what init returns becomes the private data
}

int main(int argc, char* argv[]) {
  fuse_operations operations{};
  operations.init = Init;
  operations.getattr = GetAttr;
  operations.readdir = ReadDir;
  operations.open = Open;
  operations.read = Read;
  operations.mknod = MakeNode;
  SocketPaths sockets;
  return fuse_main(argc, argv, &operations, &sockets);
}

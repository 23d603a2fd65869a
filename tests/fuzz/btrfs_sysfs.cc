// SPDX-License-Identifier: GPL-2.0-or-later
// btrfs's sysfs directory (kernel/btrfs_sysfs: read_btrfs_filesystems, is_btrfs_fsid), read from a tree
// this target lays out in a temp dir. Any bytes as a directory name: is_btrfs_fsid only for %pU's 36
// characters. Property: a tree of fsid directories (and other entries that are none: features, names of any
// bytes) with device links of any names gives back exactly the fsid directories, in order, each with its
// device names sorted, and nothing unread.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "fuzz_check.h"
#include "kernel/btrfs_sysfs.h"

namespace {

// A sysfs root of our own, emptied for every input and removed when the fuzzer exits.
class TempRoot {
 public:
  TempRoot() {
    char tmpl[] = "/tmp/fuzz-btrfs-sysfs.XXXXXX";
    FUZZ_CHECK(::mkdtemp(tmpl) != nullptr);
    path_ = tmpl;
  }
  ~TempRoot() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempRoot(const TempRoot&) = delete;
  TempRoot& operator=(const TempRoot&) = delete;
  const std::string& path() const { return path_; }
  void clear() const {
    std::error_code ec;
    std::filesystem::remove_all(path_ + "/fs", ec);
  }

 private:
  std::string path_;
};

bool kernel_fsid_form(const std::string& name) {
  if (name.size() != 36) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (c == '-')) return false;
    if (!dash && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A name a directory entry can have: no '/', no NUL, not "." or "..".
std::string entry_name(std::string name) {
  for (char& c : name)
    if (c == '/' || c == '\0') c = '_';
  if (name.empty() || name == "." || name == "..") name = "x" + name;
  return name.substr(0, 200);
}

std::string fsid_from(fuzz::Bytes& in) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    out += kHex[in.take<std::uint8_t>() & 15];
    if (i == 7 || i == 11 || i == 15 || i == 19) out += '-';
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TempRoot root;
  const std::string raw = fuzz::as_string(data, size);
  FUZZ_CHECK(detach::is_btrfs_fsid(raw) == kernel_fsid_form(raw));

  root.clear();
  const std::string base = root.path() + "/fs/btrfs";
  std::filesystem::create_directories(base + "/features");
  fuzz::Bytes in(data, size);
  std::map<std::string, std::set<std::string>> expected;
  for (int n = 0; n < 6 && !in.empty(); ++n) {
    const auto kind = in.take<std::uint8_t>();
    // An fsid directory most of the time, else an entry of any name (btrfs puts none there, a fixture may).
    const std::string name = (kind & 3) != 0 ? fsid_from(in) : entry_name(in.take_string(kind >> 3));
    std::filesystem::create_directories(base + "/" + name + "/devices");
    std::set<std::string>& devices = expected[name];
    for (int d = 0, count = (kind >> 2) & 3; d < count && !in.empty(); ++d) {
      const std::string device = entry_name(in.take_string(in.take<std::uint8_t>() & 31));
      std::error_code ec;
      std::filesystem::create_symlink("../../../../devices/virtual/block/" + device,
                                      base + "/" + name + "/devices/" + device, ec);
      if (!ec) devices.insert(device);
    }
  }
  detach::BtrfsFilesystems read = detach::read_btrfs_filesystems(root.path());
  FUZZ_CHECK(read.unread.empty());
  std::vector<std::pair<std::string, std::vector<std::string>>> want;
  for (const auto& [name, devices] : expected)
    if (kernel_fsid_form(name))
      want.emplace_back(name, std::vector<std::string>(devices.begin(), devices.end()));
  FUZZ_CHECK(read.filesystems.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    FUZZ_CHECK(read.filesystems[i].fsid == want[i].first);
    FUZZ_CHECK(read.filesystems[i].devices == want[i].second);
  }
  return 0;
}

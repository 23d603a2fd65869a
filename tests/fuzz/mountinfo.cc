// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/PID/mountinfo through our wrapper (kernel/procfs read_mountinfo: libmount parses). Any bytes: no
// crash, a table or an error, never more mounts than lines. Structured: a table the kernel could print, with
// any bytes in its paths (escaped as the kernel's show_mountinfo does: " \t\n\\"), comes back field for
// field.
#include <algorithm>
#include <vector>

#include "fuzz_check.h"
#include "kernel/procfs.h"

namespace {

// A path as the kernel shows one: absolute, no NUL.
std::string as_path(std::string bytes) {
  std::replace(bytes.begin(), bytes.end(), '\0', '_');
  return "/" + bytes;
}

// A word libmount keeps as it is (fstype, source): printable ASCII without blanks or backslash.
std::string as_word(std::string bytes, const char* fallback) {
  for (char& c : bytes)
    if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f || c == '\\') c = 'x';
  return bytes.empty() ? fallback : bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::MemFile file;
  const std::string text = fuzz::as_string(data, size);
  if (auto mounts = detach::read_mountinfo(file.write(text)))
    FUZZ_CHECK(mounts->size() <= static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);

  fuzz::Bytes in(data, size);
  std::vector<detach::Mount> expected;
  std::string table;
  while (!in.empty() && expected.size() < 8) {
    detach::Mount m;
    m.old_id = 1 + in.take<std::uint16_t>();
    m.parent = 1 + in.take<std::uint16_t>();
    m.dev = {in.take<std::uint8_t>(), in.take<std::uint16_t>()};
    m.root = as_path(in.take_string(in.take<std::uint8_t>() & 31));
    m.target = as_path(in.take_short_string());
    m.fstype = as_word(in.take_string(in.take<std::uint8_t>() & 15), "ext4");
    m.source = as_word(in.take_string(in.take<std::uint8_t>() & 31), "/dev/loop0");
    table += std::to_string(m.old_id) + " " + std::to_string(m.parent) + " " + m.dev.str() + " " +
             fuzz::kernel_escape(m.root) + " " + fuzz::kernel_escape(m.target) + " rw,relatime shared:1 - " +
             m.fstype + " " + m.source + " rw\n";
    expected.push_back(std::move(m));
  }
  auto mounts = detach::read_mountinfo(file.write(table));
  FUZZ_CHECK(mounts.has_value());
  FUZZ_CHECK(mounts->size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const detach::Mount& got = (*mounts)[i];
    FUZZ_CHECK(got.old_id == expected[i].old_id);
    FUZZ_CHECK(got.key == expected[i].old_id);
    FUZZ_CHECK(got.parent == expected[i].parent);
    FUZZ_CHECK(got.dev == expected[i].dev);
    FUZZ_CHECK(got.root == expected[i].root);
    FUZZ_CHECK(got.target == expected[i].target);
    FUZZ_CHECK(got.fstype == expected[i].fstype);
    FUZZ_CHECK(got.source == expected[i].source);
    FUZZ_CHECK(got.vfs_options == "rw,relatime");
    FUZZ_CHECK(got.fs_options == "rw");
  }
  return 0;
}

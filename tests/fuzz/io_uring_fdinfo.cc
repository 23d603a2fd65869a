// SPDX-License-Identifier: GPL-2.0-or-later
// An io_uring ring's /proc/PID/fdinfo/N (kernel/io_uring parse_ring_files). Any bytes: no crash, never more
// files than lines. Properties: files the kernel lists come back with their slots and their paths unescaped
// (blank, tab, newline and backslash escaped as \ooo, as seq_file_path writes them), whatever comes before.
#include "fuzz_check.h"
#include "kernel/io_uring.h"

namespace {

std::string sanitized(std::string path) {
  std::replace(path.begin(), path.end(), '\0', '/');
  return "/" + path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw = fuzz::as_string(data, size);
  detach::RingFiles any = detach::parse_ring_files(raw);
  FUZZ_CHECK(any.files.size() <= static_cast<std::size_t>(std::count(raw.begin(), raw.end(), '\n')) + 1);

  fuzz::Bytes in(data, size);
  const auto slot_a = in.take<std::uint16_t>();
  const auto slot_b = in.take<std::uint16_t>();
  const std::string a = sanitized(in.take_short_string());
  const std::string b = sanitized(in.take_short_string());
  const std::string before = in.rest();
  // What comes before the listing may hold anything but a "UserFiles:" line start of its own.
  std::string noise;
  for (char c : before) noise += c == '\n' ? ' ' : c;
  const std::string text = "pos:\t0\n" + noise + "\nUserFiles:\t2\n" + std::to_string(slot_a) + ": " +
                           fuzz::kernel_escape(a) + "\n    " + std::to_string(slot_b) + ": " +
                           fuzz::kernel_escape(b) + "\nUserBufs:\t0\n";
  detach::RingFiles ring = detach::parse_ring_files(text);
  FUZZ_CHECK(ring.is_ring);
  FUZZ_CHECK(ring.count == 2);
  FUZZ_CHECK(ring.files.size() == 2);
  FUZZ_CHECK(ring.files[0].slot == slot_a && ring.files[0].path == a);
  FUZZ_CHECK(ring.files[1].slot == slot_b && ring.files[1].path == b);
  return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
// What every fuzz target shares: a property check that stops the run with a message (libFuzzer saves the
// input that broke it), and a reader of typed values from the fuzzer's bytes for the structured properties.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#define FUZZ_CHECK(cond)                                                               \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

namespace fuzz {

// Takes fixed-size values from the front of the input and hands out the rest as text.
class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  template <typename T>
  T take() {
    T value{};
    std::size_t n = size_ < sizeof value ? size_ : sizeof value;
    std::memcpy(&value, data_, n);
    data_ += n;
    size_ -= n;
    return value;
  }

  // Up to N bytes (N taken from the input when 0 is given: a length byte first).
  std::string take_string(std::size_t n) {
    if (n > size_) n = size_;
    std::string out(reinterpret_cast<const char*>(data_), n);
    data_ += n;
    size_ -= n;
    return out;
  }
  std::string take_short_string() { return take_string(take<std::uint8_t>()); }
  std::string rest() { return take_string(size_); }
  bool empty() const { return size_ == 0; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

// An in-memory file: a reader that takes a path (read_attribute, libmount) reads it through /proc/self/fd.
class MemFile {
 public:
  MemFile() : fd_(::memfd_create("fuzz", MFD_CLOEXEC)), path_("/proc/self/fd/" + std::to_string(fd_)) {}
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  // Replaces the content with TEXT; returns the path to read it by.
  const std::string& write(const std::string& text) {
    FUZZ_CHECK(::ftruncate(fd_, 0) == 0);
    FUZZ_CHECK(::pwrite(fd_, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()));
    return path_;
  }

 private:
  int fd_;
  std::string path_;
};

// A path as the kernel escapes it in mountinfo and /proc/swaps (seq_file_path with " \t\n\\"): \ooo octal.
inline std::string kernel_escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

// An argv from the fuzzer's bytes: the pieces between NULs, as the kernel hands a program its arguments.
inline std::vector<std::string> split_at_nul(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at <= text.size();) {
    std::size_t nul = std::min(text.find('\0', at), text.size());
    out.push_back(text.substr(at, nul - at));
    at = nul + 1;
  }
  return out;
}

inline std::string as_string(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace fuzz

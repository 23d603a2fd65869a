// sysfs attributes (kernel/block parse_device_number, device_node_name; kernel/procfs read_attribute).
// Properties: a device number is parsed only from the very text the kernel prints for it ("%u:%u"), so it
// prints back the same; every number the kernel can print (12-bit major, 20-bit minor) parses back; a node
// name has no '!' left; an attribute loses exactly its one trailing newline.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "kernel/block.h"
#include "kernel/procfs.h"

namespace {

// An in-memory file: read_attribute reads it through /proc/self/fd like any sysfs file.
class MemFile {
 public:
  MemFile() : fd_(::memfd_create("sysfs-attr", MFD_CLOEXEC)), path_("/proc/self/fd/" + std::to_string(fd_)) {}
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  const std::string& write(const std::string& text) {
    FUZZ_CHECK(::ftruncate(fd_, 0) == 0);
    FUZZ_CHECK(::pwrite(fd_, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()));
    return path_;
  }

 private:
  int fd_;
  std::string path_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  if (auto dev = detach::parse_device_number(text)) FUZZ_CHECK(dev->str() == text);

  std::string node = detach::device_node_name(text);
  FUZZ_CHECK(node.size() == text.size());
  FUZZ_CHECK(node.find('!') == std::string::npos);

  static MemFile file;
  std::string expected = text;
  if (!expected.empty() && expected.back() == '\n') expected.pop_back();
  FUZZ_CHECK(detach::read_attribute(file.write(text)) == expected);

  fuzz::Bytes in(data, size);
  detach::DeviceNumber dev{in.take<std::uint32_t>() & 0xfff, in.take<std::uint32_t>() & 0xfffff};
  auto parsed = detach::parse_device_number(dev.str());
  FUZZ_CHECK(parsed.has_value());
  FUZZ_CHECK(*parsed == dev);
  return 0;
}

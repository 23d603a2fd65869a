// SPDX-License-Identifier: GPL-2.0-or-later
// sysfs attributes (kernel/block parse_device_number, device_node_name; kernel/procfs read_attribute).
// Properties: a device number is parsed only from the very text the kernel prints for it ("%u:%u"), so it
// prints back the same; every number the kernel can print (12-bit major, 20-bit minor) parses back; a node
// name has no '!' left; an attribute loses exactly its one trailing newline.
#include "fuzz_check.h"
#include "kernel/block.h"
#include "kernel/procfs.h"

namespace {}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::as_string(data, size);
  if (auto dev = detach::parse_device_number(text)) FUZZ_CHECK(dev->str() == text);

  std::string node = detach::device_node_name(text);
  FUZZ_CHECK(node.size() == text.size());
  FUZZ_CHECK(node.find('!') == std::string::npos);

  static fuzz::MemFile file;
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

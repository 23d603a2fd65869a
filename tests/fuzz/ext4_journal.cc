// SPDX-License-Identifier: GPL-2.0-or-later
// ext4's journal thread (kernel/ext4_journal: external_journal_device, parse_journal_task). Any bytes as a
// thread name, a device name and a journal_task file: no crash; a journal device only from a "jbd2/NAME"
// whose NAME has no '/' and is neither the filesystem's device nor "DEVICE-INODE" of it. Properties: every
// name jbd2 gives a journal device of its own comes back, the name it gives an inode journal never does;
// a pid only from text that prints back the same (with its one newline), and every pid the kernel prints
// parses back.
#include <string>

#include "fuzz_check.h"
#include "kernel/ext4_journal.h"

namespace {

bool is_device_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Bytes in(data, size);
  const std::string fs_name = in.take_short_string();
  const std::string journal_name = in.take_short_string();
  const std::string text = in.rest();

  if (std::optional<std::string> device = detach::external_journal_device(text, fs_name)) {
    FUZZ_CHECK(text == "jbd2/" + *device);
    FUZZ_CHECK(device->find('/') == std::string::npos && !device->empty());
    FUZZ_CHECK(*device != fs_name);
  }
  if (std::optional<int> pid = detach::parse_journal_task(text)) {
    FUZZ_CHECK(*pid > 0);
    FUZZ_CHECK(text == std::to_string(*pid) || text == std::to_string(*pid) + "\n");
  }

  // jbd2's own names: "jbd2/%pg" for a journal device, "jbd2/%pg-%lu" for an inode of the filesystem.
  if (is_device_name(fs_name) && is_device_name(journal_name) && journal_name != fs_name) {
    const bool looks_like_inode_journal =
        journal_name.size() > fs_name.size() + 1 && journal_name.starts_with(fs_name + "-") &&
        journal_name.find_first_not_of("0123456789", fs_name.size() + 1) == std::string::npos;
    if (!looks_like_inode_journal)
      FUZZ_CHECK(detach::external_journal_device("jbd2/" + journal_name, fs_name) == journal_name);
  }
  if (is_device_name(fs_name)) {
    const auto inode = in.take<std::uint32_t>();
    FUZZ_CHECK(!detach::external_journal_device("jbd2/" + fs_name + "-" + std::to_string(inode), fs_name));
  }
  const auto pid = static_cast<int>(in.take<std::uint32_t>() & 0x3fffffff);
  if (pid > 0) FUZZ_CHECK(detach::parse_journal_task(std::to_string(pid) + "\n") == pid);
  return 0;
}

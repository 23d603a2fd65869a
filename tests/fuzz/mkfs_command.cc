// SPDX-License-Identifier: GPL-2.0-or-later
// A mkfs command line as mkfs-guard reads it (tools/mkfs-guard/mkfs_command.cc mkfs_devices): the fuzzer's
// bytes split at NUL into argv, program first; when the first byte is below 0x40 the program is one of the
// mkfs mkfs-guard knows, so that the option readers get most runs. Properties: the same command always gives
// the same devices; every device is an argument, or the value attached to an option or a key=value list in
// one, never the program; roles are the four documented; a command read as unknown names no sure device and
// lists, once each, every argument that is a path; a known one lists no maybe; a label that looks like a
// device path (-L/-n given first) is never a device and changes nothing else.
#include <algorithm>
#include <vector>

#include "fuzz_check.h"
#include "mkfs_command.h"

namespace {

using detach::guard::MkfsDevice;
using detach::guard::MkfsDevices;

constexpr const char* kPrograms[] = {"mkfs.ext4", "mke2fs", "mkfs.xfs", "mkfs.btrfs",
                                     "mkfs.fat",  "mkswap", "mkfs",     "/sbin/mkfs.ext2"};
constexpr const char* kLabel = "/dev/label-that-looks-like-a-device";

bool same(const MkfsDevices& a, const MkfsDevices& b) {
  auto devices_equal = [](const MkfsDevice& x, const MkfsDevice& y) {
    return x.arg == y.arg && x.role == y.role;
  };
  return a.program == b.program && a.known == b.known && a.maybe == b.maybe &&
         a.unknown_why == b.unknown_why && a.creates_file == b.creates_file &&
         std::equal(a.devices.begin(), a.devices.end(), b.devices.begin(), b.devices.end(), devices_equal);
}

// util-linux's `mkfs [-t TYPE]`, which mkfs_devices reads as the mkfs.TYPE it runs.
bool is_front_end(const std::string& program) {
  return program == "mkfs" || program.ends_with("/mkfs");
}

bool in_some_argument(const std::vector<std::string>& command, const std::string& text) {
  return std::any_of(command.begin() + 1, command.end(),
                     [&](const std::string& arg) { return arg.find(text) != std::string::npos; });
}

void check_devices(const std::vector<std::string>& command, const MkfsDevices& found) {
  FUZZ_CHECK(same(found, detach::guard::mkfs_devices(command)));
  for (const MkfsDevice& d : found.devices) {
    FUZZ_CHECK(d.role == "target" || d.role == "journal device" || d.role == "log device" ||
               d.role == "realtime device");
    FUZZ_CHECK(d.arg.empty() || in_some_argument(command, d.arg));
    FUZZ_CHECK(d.arg.empty() || std::count(command.begin() + 1, command.end(), d.arg) > 0 ||
               d.role != "target" || found.program == "mkfs.xfs");
  }
  if (found.known) {
    FUZZ_CHECK(found.maybe.empty() && found.unknown_why.empty());
    return;
  }
  FUZZ_CHECK(found.devices.empty() && !found.unknown_why.empty());
  for (const std::string& m : found.maybe) {
    FUZZ_CHECK(!m.empty() && in_some_argument(command, m));
    FUZZ_CHECK(std::count(found.maybe.begin(), found.maybe.end(), m) == 1);
  }
  // After util-linux's front end has taken its own options, every path argument is to be checked.
  for (std::size_t i = 1; i < command.size(); ++i)
    if (command[i].starts_with('/') && !is_front_end(command[0]))
      FUZZ_CHECK(std::find(found.maybe.begin(), found.maybe.end(), command[i]) != found.maybe.end());
}

// A label given first is read as the label option's value, whatever follows: no device, nothing else changed.
void check_label_is_no_device(const std::vector<std::string>& command, const MkfsDevices& found) {
  if (!found.known || is_front_end(command[0])) return;
  std::vector<std::string> labelled = command;
  const bool fat = found.program == "mkfs.fat" || found.program == "mkfs.vfat" ||
                   found.program == "mkfs.msdos" || found.program == "mkdosfs" || found.program == "mkfs.dos";
  const char* option = fat ? "-n" : "-L";  // the label option of each
  labelled.insert(labelled.begin() + 1, {option, kLabel});
  MkfsDevices again = detach::guard::mkfs_devices(labelled);
  FUZZ_CHECK(again.known);
  for (const MkfsDevice& d : again.devices) FUZZ_CHECK(d.arg != kLabel || in_some_argument(command, kLabel));
  FUZZ_CHECK(again.devices.size() == found.devices.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Bytes bytes(data, size);
  const auto pick = bytes.take<std::uint8_t>();
  std::vector<std::string> command = fuzz::split_at_nul(bytes.rest());
  if (pick < 0x40) command.insert(command.begin(), kPrograms[pick % std::size(kPrograms)]);
  const MkfsDevices found = detach::guard::mkfs_devices(command);
  FUZZ_CHECK(found.program.find('/') == std::string::npos);
  check_devices(command, found);
  check_label_is_no_device(command, found);
  return 0;
}

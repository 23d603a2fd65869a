// SPDX-License-Identifier: GPL-2.0-or-later
// Pins the kernel holds, that no /proc/PID scan sees: loop devices and swap files backed by a file on the fs;
// and the block devices they and the explanations refer to.
#include "kernel/block.h"
#include "kernel/swaps.h"
#include "scan/scan_state.h"

namespace detach::scan {

namespace {

void add_loop_pins(Snapshot& snapshot) {
  for (const LoopDevice& loop : snapshot.loops) {
    if (loop.backing_dev == DeviceNumber{}) continue;  // no ioctl (fixtures): the file path alone says little
    Pin pin;
    pin.kind = PinKind::LoopBacking;
    pin.dev = loop.backing_dev;
    pin.ino = loop.backing_inode;
    pin.holder = "/dev/" + loop.name;
    pin.path = loop.backing_file;
    snapshot.pins.push_back(std::move(pin));
  }
}

// A swap file whose filesystem could not be found (after a lazy unmount the kernel prints its path inside
// that filesystem; or its filesystem did not answer) is an unplaced pin: it may hold any filesystem nothing
// else explains.
void add_swap_pins(Snapshot& snapshot) {
  for (const SwapArea& swap : snapshot.swaps) {
    if (!swap.is_file) continue;
    Pin pin;
    pin.kind = PinKind::SwapFile;
    if (swap.resolved) pin.dev = swap.dev;
    // A path that resolved to nothing (not one whose filesystem did not answer): on no attached mount.
    pin.resolves_nowhere = !swap.resolved && !swap.unresponsive;
    pin.holder = swap.path;
    pin.path = swap.path;
    snapshot.pins.push_back(std::move(pin));
  }
}

}  // namespace

void read_block_devices(ScanState& state) {
  std::vector<std::string> unread;
  state.snapshot.block_devices = detach::read_block_devices(state.options.sys_root, &unread);
  for (const std::string& what : unread)
    state.snapshot.gaps.notes.push_back({ScanNoteKind::BlockDevicesUnread, {what}});
}

KernelFacts read_kernel_facts(const ScanOptions& options) {
  KernelFacts facts;
  facts.loops = read_loop_devices(options.sys_root, options.dev_root, options.live, options.fs_call_timeout,
                                  options.ask_loop_status);
  auto swaps = read_swaps(options.proc_root, options.live, options.fs_call_timeout, options.ask_swap_file);
  if (swaps)
    facts.swaps = std::move(*swaps);
  else
    facts.unread.push_back({ScanNoteKind::SwapsNotRead, {swaps.error().message()}});
  return facts;
}

void add_kernel_pins(ScanState& state, KernelFacts facts) {
  Snapshot& snapshot = state.snapshot;
  snapshot.loops = std::move(facts.loops);
  snapshot.swaps = std::move(facts.swaps);
  for (ScanNote& note : facts.unread) snapshot.gaps.notes.push_back(std::move(note));
  add_loop_pins(snapshot);
  add_swap_pins(snapshot);
}

}  // namespace detach::scan

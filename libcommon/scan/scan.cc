// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/scan.h"

#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>

#include "kernel/procfs.h"
#include "scan/bpf/source.h"
#include "scan/mount_namespace.h"
#include "scan/phase_clock.h"
#include "scan/scan_state.h"

namespace detach {

namespace scan {

void ScanState::note_error(int err) {
  if (err == ENOENT || err == ESRCH) {
    ++snapshot.gaps.vanished;
  } else if (err == EACCES || err == EPERM) {
    ++snapshot.gaps.denied;
  }
}

void ScanState::note_denied(pid_t pid) {
  std::vector<DeniedProcess>& denied = snapshot.gaps.denied_processes;
  auto at = std::lower_bound(denied.begin(), denied.end(), pid,
                             [](const DeniedProcess& d, pid_t p) { return d.pid < p; });
  if (at != denied.end() && at->pid == pid) return;
  DeniedProcess d{pid, {}};
  if (auto comm = read_file(options.proc_root + "/" + std::to_string(pid) + "/comm"))
    d.command = chomp(*comm);
  denied.insert(at, std::move(d));
}

}  // namespace scan

Result<Snapshot> take_snapshot(const ScanOptions& options) {
  Snapshot snapshot;
  snapshot.gaps.unprivileged = ::geteuid() != 0;
  if (options.live) snapshot.own_ns_inode = caller_mount_namespace(options.proc_root);
  // Mounts of the devices asked about, and of their partitions and holders, get pin details: the filter
  // learns which mounts those are once namespaces and block devices are read, before the pin scan asks it.
  std::set<MountKey> on_asked_devices;
  ScanOptions effective = options;
  if (!options.detail_devices.empty()) {
    effective.detail_pins_of = [&on_asked_devices, asked = options.detail_pins_of](const Mount& m) {
      return on_asked_devices.count(m.key) > 0 || (asked && asked(m));
    };
  }
  scan::ScanState state{.options = effective,
                        .snapshot = snapshot,
                        .tasks = {},
                        .internal_mounts = {},
                        .fs_deadline = std::chrono::steady_clock::now() + options.fs_call_timeout,
                        .recorded_ids = {}};
  scan::PhaseClock clock;  // DETACH_SCAN_DEBUG
  // BPF's programs load meanwhile, when task pins come from them.
  scan::TaskPinSource task_pin_source(effective);
  // Tasks first: on kernels without NS_MNT_GET_NEXT they are how namespaces are found.
  clock.time("tasks", [&] { scan::list_tasks(state); });
  clock.time("namespaces", [&] { scan::list_namespaces(state); });
  if (snapshot.namespaces.empty()) return fail(ENOENT, "scan", options.proc_root, "no mount namespace found");
  clock.time("block devices", [&] { scan::read_block_devices(state); });
  if (options.kernel_pins) clock.time("census/live filesystems", [&] { scan::read_live_filesystems(state); });
  // What attached mounts claim: their pinners may need details.
  clock.time("census/claimed devices", [&] { scan::find_claimed_devices(state); });
  if (!options.detail_devices.empty()) {
    clock.time("stacked devices",
               [&] { on_asked_devices = scan::mounts_on_stacked_devices(state, options.detail_devices); });
  }
  clock.time("internal mounts", [&] { scan::learn_internal_mounts(state); });
  // Loop devices and swaps meanwhile, on a thread of their own: they wait on children more than they
  // compute. (sysfs's block devices came first: the pin scan's filter needs them.)
  scan::KernelFacts facts;
  std::chrono::steady_clock::duration kernel_took{};
  std::thread kernel([&facts, &options, &kernel_took] {
    kernel_took = scan::PhaseClock::measure([&] {
      if (options.kernel_pins) facts = scan::read_kernel_facts(options);
    });
  });
  // The asked devices' signatures too, on a thread of their own.
  std::vector<scan::DeviceSignature> signatures;
  std::chrono::steady_clock::duration signatures_took{};
  const bool asked = options.kernel_pins && !options.detail_devices.empty();
  std::thread signature_reader([&signatures, &options, &signatures_took,
                                devices = asked ? snapshot.block_devices : std::vector<BlockDevice>{}] {
    signatures_took =
        scan::PhaseClock::measure([&] { signatures = scan::probe_asked_devices(options, devices); });
  });
  Status pins;
  clock.time("task pins", [&] { pins = task_pin_source.scan(state); });
  clock.time("detached mounts", [&] { scan::find_detached_mounts(state); });
  // Filesystems alive with no mount seen, so that the journal's record of their device gives them their
  // former mount point.
  clock.time("census/kernel-held mounts", [&] { scan::add_kernel_held_mounts(state); });
  // Former mount points before the census: a path the kernel gave may lead through one.
  clock.time("detach journal", [&] { scan::join_detach_journal(state); });
  if (options.kernel_pins) {
    clock.time("census/object pins", [&] { scan::add_object_pins(state); });
    // Which files are in flight, where the census counted some and BPF reads the task pins.
    if (!state.in_flight_sockets.empty())
      clock.time("census/files in flight (BPF)", [&] { scan::TaskPinSource::place_files_in_flight(state); });
    // The layers of the overlays task pins lead to, from the overlays themselves, where BPF reads the task
    // pins.
    clock.time("census/overlay layers (BPF)", [&] { scan::TaskPinSource::read_overlay_layers(state); });
    clock.time("census/mount file pins", [&] { scan::add_mount_file_pins(state); });
    clock.time("census/probe pins", [&] { scan::add_probe_pins(state); });
  }
  clock.time("waiting for loop devices and swaps", [&] { kernel.join(); });
  clock.add("loop devices and swaps (beside the task pins)", kernel_took);
  clock.time("census/waiting for the asked devices' signatures", [&] { signature_reader.join(); });
  clock.add("asked devices' signatures (beside the task pins)", signatures_took);
  scan::add_device_signatures(state, signatures);
  if (!pins) return tl::unexpected(pins.error());  // BPF was asked for and cannot be used
  clock.time("kernel pins", [&] { scan::add_kernel_pins(state, std::move(facts)); });
  clock.time("census/kernel-held mounts", [&] { scan::add_kernel_held_mounts(state); });
  // Again, with the detached mounts and their journaled options.
  clock.time("census/claimed devices", [&] { scan::find_claimed_devices(state); });
  clock.time("namespace holders", [&] { scan::describe_namespace_holders(state); });
  clock.time("task details", [&] { scan::describe_tasks(state); });
  // Last: superblocks are derived from everything above.
  clock.time("superblocks", [&] { snapshot.build_superblocks(); });
  return snapshot;
}

std::uint64_t caller_mount_namespace(const std::string& proc_root) {
  Result<MountNamespaceRef> ns = task_mount_namespace(proc_root, static_cast<unsigned>(::getpid()));
  return ns ? ns->inode : 0;
}

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/bpf/source.h"

#include <cstdlib>
#include <string_view>

#include "kernel/bpf_support.h"
#include "scan/bpf/files_in_flight.h"
#include "scan/bpf/ring_files.h"
#include "scan/bpf/task_pins.h"
#include "scan/scan_state.h"

namespace detach::scan {

namespace {

// DETACH_BPF_LOADER=light or libbpf: one loader only, so that tests can hold each to the /proc source.
BpfIterators::Loader loader_from_environment() {
  const char* value = std::getenv("DETACH_BPF_LOADER");
  const std::string_view v = value ? value : "";
  if (v == "light") return BpfIterators::Loader::Light;
  if (v == "libbpf") return BpfIterators::Loader::Libbpf;
  return BpfIterators::Loader::Any;
}

// Loads FAMILY, one of those the scan runs only when it finds what it reads, and hands it to RUN: "" when
// both went well, else why not, for the source's line.
template <class Run>
std::string run_family(const char* family, Run run) {
  auto loaded = BpfIterators::load(family, loader_from_environment());
  if (!loaded) return "did not load (" + loaded.error().message() + ")";
  if (Status done = run(*loaded); !done) return "failed (" + done.error().message() + ")";
  return {};
}

}  // namespace

TaskPinSource::Choice TaskPinSource::choose(const ScanOptions& options) {
  if (!options.task_pins) return {std::nullopt, "no task pins asked for"};
  if (options.source == ScanSource::Proc) return {std::nullopt, "the /proc source was asked for"};
  if (!options.live || options.proc_root != "/proc" || options.sys_root != "/sys")
    return {std::nullopt, "a fixture tree is read, not the running system"};
  if (!bpf_source_built()) return {std::nullopt, "this build has no BPF source"};
  if (auto why = bpf_unavailable(options.sys_root)) return {std::nullopt, *why};
  if (!in_initial_pid_namespace(options.proc_root)) return {std::nullopt, "not in the initial PID namespace"};
  auto loaded = BpfIterators::load(kTaskPinsFamily, loader_from_environment());
  if (!loaded) return {std::nullopt, "the BPF programs did not load (" + loaded.error().message() + ")"};
  std::string why = std::string("loaded by ") + bpf_loader_name(loaded->loader());
  return Choice{std::move(*loaded), std::move(why)};
}

void TaskPinSource::read_rings(ScanState& state, Choice& choice) {
  if (!holds_anon_inode_fd(state, "anon_inode:[io_uring]")) return;
  const std::string why = run_family(
      kRingFilesFamily, [&state](const BpfIterators& rings) { return read_ring_files_bpf(state, rings); });
  if (!why.empty())
    choice.why += "; io_uring registered files placed from the rings' fdinfo: their BPF program " + why;
}

void TaskPinSource::place_files_in_flight(ScanState& state) {
  if (state.in_flight_sockets.empty() || !state.snapshot.pin_source.bpf) return;
  const std::string why = run_family(kUnixInflightFamily, [&state](const BpfIterators& sockets) -> Status {
    auto found = read_files_in_flight_bpf(state, sockets);
    if (!found) return tl::unexpected(found.error());
    scan::place_files_in_flight(state, *found);
    return {};
  });
  if (!why.empty())
    state.snapshot.pin_source.why +=
        "; files in flight over unix sockets only counted from the sockets' fdinfo: their BPF program " + why;
}

TaskPinSource::TaskPinSource(const ScanOptions& options) : options_(options) {
  // Nothing to wait for when /proc is read anyway.
  if (options.task_pins && options.source != ScanSource::Proc && options.live)
    choice_ = std::async(std::launch::async, [&options] { return choose(options); });
}

Status TaskPinSource::scan(ScanState& state) {
  Choice choice = choice_.valid() ? choice_.get() : choose(options_);
  Snapshot& snapshot = state.snapshot;
  if (!options_.task_pins) {
    snapshot.pin_source = PinSource{false, choice.why};
    return {};
  }
  if (choice.iterators) {
    Status read = scan_task_pins_bpf(state, *choice.iterators);
    if (read) {
      read_rings(state, choice);
      snapshot.pin_source = PinSource{true, choice.why};
      return {};
    }
    choice.why = "the BPF iterators failed (" + read.error().message() + ")";
  }
  if (options_.source == ScanSource::Bpf)
    return fail(0, "DETACH_SCAN_SOURCE=bpf", {}, "BPF cannot be used: " + choice.why);
  snapshot.pin_source = PinSource{false, choice.why};
  scan_task_pins(state);
  return {};
}

}  // namespace detach::scan

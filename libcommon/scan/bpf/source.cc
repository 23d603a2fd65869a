// SPDX-License-Identifier: GPL-2.0-or-later
#include "scan/bpf/source.h"

#include <cstdlib>
#include <string_view>

#include "kernel/bpf_support.h"
#include "scan/bpf/binfmt_entries.h"
#include "scan/bpf/files_in_flight.h"
#include "scan/bpf/overlay_layers.h"
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

PinSource chosen_because(PinSourceWhy why, std::string detail = {}) {
  PinSource source;
  source.why = why;
  source.why_detail = std::move(detail);
  return source;
}

// Loads FAMILY, one of those the scan runs only when it finds what it reads, and hands it to RUN; sets
// FALLBACK and DETAIL when either failed.
template <class Run>
void run_family(const char* family, Run run, FamilyFallback& fallback, std::string& detail) {
  auto loaded = BpfIterators::load(family, loader_from_environment());
  if (!loaded) {
    fallback = FamilyFallback::DidNotLoad;
    detail = loaded.error().message();
  } else if (Status done = run(*loaded); !done) {
    fallback = FamilyFallback::Failed;
    detail = done.error().message();
  }
}

}  // namespace

TaskPinSource::Choice TaskPinSource::choose(const ScanOptions& options) {
  auto proc = [](PinSourceWhy why, std::string detail = {}) {
    return Choice{std::nullopt, chosen_because(why, std::move(detail))};
  };
  if (!options.task_pins) return proc(PinSourceWhy::NoTaskPins);
  if (options.source == ScanSource::Proc) return proc(PinSourceWhy::ProcAsked);
  if (!options.live || options.proc_root != "/proc" || options.sys_root != "/sys")
    return proc(PinSourceWhy::FixtureTree);
  if (!bpf_source_built()) return proc(PinSourceWhy::NotBuilt);
  if (auto unavailable = bpf_unavailable(options.sys_root))
    return proc(unavailable->why, std::move(unavailable->detail));
  if (!in_initial_pid_namespace(options.proc_root)) return proc(PinSourceWhy::NotInitialPidNs);
  auto loaded = BpfIterators::load(kTaskPinsFamily, loader_from_environment());
  if (!loaded) return proc(PinSourceWhy::LoadFailed, loaded.error().message());
  const bool libbpf = loaded->loader() == BpfIterators::Loader::Libbpf;
  return Choice{std::move(*loaded),
                chosen_because(libbpf ? PinSourceWhy::LoadedByLibbpf : PinSourceWhy::LoadedInKernel)};
}

void TaskPinSource::read_rings(ScanState& state, Choice& choice) {
  if (!holds_anon_inode_fd(state, "anon_inode:[io_uring]")) return;
  run_family(
      kRingFilesFamily, [&state](const BpfIterators& rings) { return read_ring_files_bpf(state, rings); },
      choice.source.rings, choice.source.rings_detail);
}

void TaskPinSource::read_binfmt_entries(ScanState& state) {
  PinSource& source = state.snapshot.pin_source;
  if (!source.bpf || !wants_binfmt_entries(state)) return;
  run_family(
      kBinfmtEntriesFamily,
      [&state](const BpfIterators& entries) { return read_binfmt_entries_bpf(state, entries); },
      source.binfmt, source.binfmt_detail);
}

void TaskPinSource::place_files_in_flight(ScanState& state) {
  PinSource& source = state.snapshot.pin_source;
  if (state.in_flight_sockets.empty() || !source.bpf) return;
  run_family(
      kUnixInflightFamily,
      [&state](const BpfIterators& sockets) -> Status {
        auto found = read_files_in_flight_bpf(state, sockets);
        if (!found) return tl::unexpected(found.error());
        scan::place_files_in_flight(state, *found);
        return {};
      },
      source.in_flight, source.in_flight_detail);
}

void TaskPinSource::read_overlay_layers(ScanState& state) {
  PinSource& source = state.snapshot.pin_source;
  if (!source.bpf) return;
  const std::set<DeviceNumber> wanted = overlays_under_task_pins(state);
  if (wanted.empty()) return;
  run_family(
      kOverlayLayersFamily,
      [&state, &wanted](const BpfIterators& overlays) {
        return read_overlay_layers_bpf(state, overlays, wanted);
      },
      source.overlays, source.overlays_detail);
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
    snapshot.pin_source = choice.source;
    return {};
  }
  if (choice.iterators) {
    Status read = scan_task_pins_bpf(state, *choice.iterators);
    if (read) {
      read_rings(state, choice);
      snapshot.pin_source = choice.source;
      snapshot.pin_source.bpf = true;
      return {};
    }
    choice.source = chosen_because(PinSourceWhy::IteratorsFailed, read.error().message());
  }
  if (options_.source == ScanSource::Bpf)
    return fail(0, "DETACH_SCAN_SOURCE=bpf", {},
                "BPF cannot be used: " + pin_source_why(choice.source, Words::program()));
  snapshot.pin_source = choice.source;
  scan_task_pins(state);
  return {};
}

}  // namespace detach::scan

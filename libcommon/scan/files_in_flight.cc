// SPDX-License-Identifier: GPL-2.0-or-later
// Files in flight over unix sockets, placed: the census counted each socket's files from its fdinfo (a "may"
// pin, on no filesystem); the BPF source read which files they are from the socket's queue.
#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "scan/kernel_paths.h"
#include "scan/scan_state.h"

namespace detach::scan {

namespace {

// The files FOUND read of socket SOCKET_INO, each once, in the order first met, with how often it waits.
std::vector<std::pair<ExactFile, std::uint64_t>> files_of(const ExactFilesInFlight& found,
                                                          std::uint64_t socket_ino) {
  std::vector<std::pair<ExactFile, std::uint64_t>> out;
  for (const ExactFilesInFlight::File& f : found.files) {
    if (f.socket_ino != socket_ino) continue;
    auto same = [&f](const auto& known) {
      return std::tie(known.first.mount, known.first.dev, known.first.ino) ==
             std::tie(f.file.mount, f.file.dev, f.file.ino);
    };
    auto it = std::find_if(out.begin(), out.end(), same);
    if (it == out.end())
      out.emplace_back(f.file, 1);
    else
      ++it->second;
  }
  return out;
}

// What stands for the "may" pin COUNTED: a placed pin per file found, and COUNTED itself for the files not
// found, if any.
std::vector<Pin> placed_pins(const ScanState& state, const Pin& counted,
                             const std::vector<std::pair<ExactFile, std::uint64_t>>& files) {
  std::vector<Pin> out;
  std::uint64_t placed = 0;
  for (const auto& [file, times] : files) {
    Pin pin = counted;
    place_pin(pin, exact_place(state, file));
    pin.count = times;
    placed += times;
    out.push_back(std::move(pin));
  }
  if (placed < counted.count) {
    Pin rest = counted;
    rest.count = counted.count - placed;
    out.push_back(std::move(rest));
  }
  return out;
}

}  // namespace

void place_files_in_flight(ScanState& state, const ExactFilesInFlight& found) {
  std::vector<Pin>& pins = state.snapshot.pins;
  // From the last: each replacement shifts the pins after it.
  std::vector<InFlightSocket> sockets = state.in_flight_sockets;
  std::sort(sockets.begin(), sockets.end(),
            [](const InFlightSocket& a, const InFlightSocket& b) { return a.pin > b.pin; });
  for (const InFlightSocket& s : sockets) {
    const auto files = files_of(found, s.socket_ino);
    if (files.empty()) continue;
    std::vector<Pin> placed = placed_pins(state, pins[s.pin], files);
    pins.erase(pins.begin() + static_cast<std::ptrdiff_t>(s.pin));
    pins.insert(pins.begin() + static_cast<std::ptrdiff_t>(s.pin), placed.begin(), placed.end());
  }
  state.in_flight_sockets.clear();  // their indices are stale now
  for (const auto& [ns, why] : found.namespaces_unread)
    state.snapshot.gaps.notes.push_back(
        {ScanNoteKind::UnixSocketsOfNetNsNotListed, {std::to_string(ns), why}});
  for (std::uint64_t socket_ino : found.truncated)
    state.snapshot.gaps.notes.push_back({ScanNoteKind::InFlightQueueTruncated,
                                         {std::to_string(socket_ino), std::to_string(found.messages_read),
                                          std::to_string(found.files_read)}});
}

}  // namespace detach::scan

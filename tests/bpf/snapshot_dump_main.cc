// SPDX-License-Identifier: GPL-2.0-or-later
// snapshot-dump [--pid PID]... [--device MAJ:MIN]... [--fd-paths] [--no-detached-details]: takes one snapshot
// as the tools do (the source from DETACH_SCAN_SOURCE) and prints, first, which source gave its task pins and
// why ("source: bpf: loaded by the in-kernel loader"), then the canonical dump of the processes and devices
// named (snapshot_dump.h). For the shell tests of the fallback: as nobody, under a seccomp filter.
// Exit status: 0, 1 when the snapshot fails (its message on stderr), 2 on bad arguments.
#include <cstdio>
#include <cstring>
#include <string>

#include "snapshot_dump.h"

int main(int argc, char** argv) {
  bpftest::DumpFilter filter;
  detach::ScanOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--pid" && i + 1 < argc) {
      filter.pids.insert(static_cast<pid_t>(std::stol(argv[++i])));
    } else if (arg == "--device" && i + 1 < argc) {
      filter.devices.push_back(bpftest::ParseDevice(argv[++i]));
    } else if (arg == "--fd-paths") {
      options.fd_paths = true;
    } else if (arg == "--no-detached-details") {
      options.detached_details = false;
    } else {
      std::fprintf(stderr,
                   "usage: snapshot-dump [--pid PID]... [--device MAJ:MIN]... [--fd-paths] "
                   "[--no-detached-details]\n");
      return 2;
    }
  }
  auto snapshot = detach::take_snapshot(options);
  if (!snapshot) {
    std::fprintf(stderr, "snapshot-dump: %s\n", snapshot.error().message().c_str());
    return 1;
  }
  std::printf("source: %s: %s\n", snapshot->pin_source.bpf ? "bpf" : "proc",
              detach::pin_source_why(snapshot->pin_source, detach::Words::program()).c_str());
  std::fputs(bpftest::CanonicalDump(*snapshot, filter).c_str(), stdout);
  return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
// The state of detached mounts as node-exporter textfile metrics (Prometheus' text format), for a timer to
// write where node-exporter reads it.
#pragma once

#include <cstddef>
#include <string>

#include "model/snapshot.h"

namespace detach::metrics {

// How many pinners keep M alive: a distinct (pid, tid) for task pins (a process, or a thread with its own fs
// or fd table), a distinct holder for kernel pins (a loop device, a swap file, another mount). 40 fds of one
// process are one pinner.
std::size_t count_pinners(const Snapshot& snapshot, const Mount& m);

// Every metric of SNAPSHOT, taken at NOW (epoch seconds). Each family has its HELP and TYPE lines even when
// it has no sample, so that the file always says what it could hold.
std::string render(const Snapshot& snapshot, long long now);

// What a failed scan leaves: detach_utils_scan_success 0, and the time.
std::string render_failed_scan(long long now);

// VALUE as a label value: backslash, double quote and newline escaped, bytes that are not UTF-8 as \xNN.
std::string label_value(const std::string& value);

}  // namespace detach::metrics

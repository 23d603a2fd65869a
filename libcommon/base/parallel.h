// SPDX-License-Identifier: GPL-2.0-or-later
// Work spread over threads: WORK(0) ... WORK(COUNT - 1), each index run once, on at most THREADS threads (the
// caller's own among them). Used for the /proc scan (CPU-bound: one thread per core) and for bounded calls
// into filesystems (they mostly wait: N that time out cost one timeout, not N).
#pragma once

#include <cstddef>
#include <functional>

namespace detach {

// Returns when every index is done. WORK must only touch what belongs to its index (or is read-only).
void run_in_parallel(std::size_t count, std::size_t threads, const std::function<void(std::size_t)>& work);

}  // namespace detach

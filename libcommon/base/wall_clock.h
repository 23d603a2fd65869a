// SPDX-License-Identifier: GPL-2.0-or-later
// The wall clock as the journal and the metrics count time: whole seconds since the epoch.
#pragma once

namespace detach {

// Now, in seconds since 1970-01-01 UTC (what DetachRecord::detached_at and the metrics' ages count in).
long long now_seconds();

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Pinners of a mount are counted as every tool names them: group_pinners, once each.
#include "metrics.h"
#include "model/pinner.h"

namespace detach::metrics {

std::size_t count_pinners(const Snapshot& snapshot, const Mount& m) {
  return group_pinners(snapshot.pins_at(snapshot.pins_keeping(m))).size();
}

}  // namespace detach::metrics

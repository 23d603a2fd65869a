// Counting pinners on the Snapshot as it is today. One small function, so that it can move onto libcommon's
// Pinner grouping once that exists.
#include <set>
#include <string>
#include <utility>

#include "metrics.h"

namespace detach::metrics {

std::size_t count_pinners(const Snapshot& snapshot, const Mount& m) {
  std::set<std::pair<pid_t, pid_t>> tasks;
  std::set<std::pair<PinKind, std::string>> holders;
  for (std::size_t i : snapshot.pins_keeping(m)) {
    const Pin& pin = snapshot.pins[i];
    if (is_task_pin(pin.kind))
      tasks.emplace(pin.pid, pin.tid);
    else
      holders.emplace(pin.kind, pin.holder);
  }
  return tasks.size() + holders.size();
}

}  // namespace detach::metrics

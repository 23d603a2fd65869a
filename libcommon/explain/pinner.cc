#include "explain/pinner.h"

#include <algorithm>
#include <set>

namespace detach {

std::string describe_pin(const Snapshot& snapshot, const Pin& pin) {
  if (!is_task_pin(pin.kind)) return pin.how();
  std::string who = std::to_string(pin.pid);
  if (pin.tid != 0 && pin.tid != pin.pid) who += "/" + std::to_string(pin.tid);
  if (const Task* task = snapshot.task(pin.pid)) who += " (" + task->command + ")";
  return who + " " + pin.how();
}

std::vector<const Pin*> distinct_pins(const Snapshot& snapshot, std::vector<const Pin*> pins) {
  std::stable_sort(pins.begin(), pins.end(), [](const Pin* a, const Pin* b) {
    bool ta = is_task_pin(a->kind), tb = is_task_pin(b->kind);
    if (ta != tb) return ta;  // processes first: they are what a user can act on
    if (a->pid != b->pid) return a->pid < b->pid;
    return a->fd < b->fd;
  });
  std::set<std::string> seen;
  std::erase_if(pins, [&](const Pin* pin) { return !seen.insert(describe_pin(snapshot, *pin)).second; });
  return pins;
}

std::string describe_pins(const Snapshot& snapshot, const std::vector<const Pin*>& pins, std::size_t limit) {
  const std::vector<const Pin*> distinct = distinct_pins(snapshot, pins);
  std::string out;
  for (std::size_t i = 0; i < distinct.size() && i < limit; ++i)
    out += (i ? ", " : "") + describe_pin(snapshot, *distinct[i]);
  if (distinct.size() > limit) out += " and " + std::to_string(distinct.size() - limit) + " more";
  return out;
}

}  // namespace detach

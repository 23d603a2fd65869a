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

std::string describe_pins(const Snapshot& snapshot, const std::vector<const Pin*>& pins) {
  std::vector<const Pin*> sorted = pins;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Pin* a, const Pin* b) {
    bool ta = is_task_pin(a->kind), tb = is_task_pin(b->kind);
    if (ta != tb) return ta;  // processes first: they are what a user can act on
    if (a->pid != b->pid) return a->pid < b->pid;
    return a->fd < b->fd;
  });
  std::string out;
  std::set<std::string> seen;
  for (const Pin* pin : sorted) {
    std::string text = describe_pin(snapshot, *pin);
    if (!seen.insert(text).second) continue;
    if (!out.empty()) out += ", ";
    out += text;
  }
  return out;
}

}  // namespace detach

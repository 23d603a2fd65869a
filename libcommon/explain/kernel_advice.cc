// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/kernel_advice.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "base/i18n.h"
#include "explain/printable.h"

namespace detach {
namespace {

// WORD as one shell word: as it is when it holds only characters no shell treats specially, else in single
// quotes.
std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("_./:=+@%,-").find(static_cast<char>(c)) != std::string_view::npos;
  });
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Where uprobe_events is to be written: a tracefs mount point, the usual one first.
std::string uprobe_events_file(const Snapshot& snapshot) {
  std::string found;
  for (const auto& [key, m] : snapshot.mounts) {
    if (!m.attached || m.fstype != "tracefs") continue;
    if (m.target == "/sys/kernel/tracing") return m.target + "/uprobe_events";
    if (found.empty()) found = m.target + "/uprobe_events";
  }
  return found.empty() ? "/sys/kernel/tracing/uprobe_events" : found;
}

std::string advice(const Snapshot& snapshot, const Pin& pin) {
  switch (pin.kind) {
    case PinKind::BinfmtInterpreter: {
      // An entry the BPF source read of an instance no attached mount shows: there is no file to name.
      if (pin.role.empty()) {
        // TRANSLATORS: {0} is the entry's name, the file to write -1 to.
        return trf(
            "remove the binfmt_misc entry {0} first: echo -1 > {0} in a mount of its binfmt_misc instance "
            "(none is attached; mount binfmt_misc in its user namespace)",
            printable(pin.holder));
      }
      const std::string file = pin.role + "/" + pin.holder;
      // TRANSLATORS: {0} is the entry's name, {1} the file to write to remove it.
      return trf("remove the binfmt_misc entry {0} first: echo -1 > {1}", printable(pin.holder),
                 printable(shell_word(file)));
    }
    case PinKind::Uprobe:
      // TRANSLATORS: {0} is the event's name, {1} what to write ("-:uprobes/x"), {2} the file to write it to.
      return trf("remove the uprobe event {0} first: echo {1} >> {2}", printable(pin.holder),
                 printable(shell_word("-:" + pin.holder)),
                 printable(shell_word(uprobe_events_file(snapshot))));
    case PinKind::KernelBpfLink:
      // TRANSLATORS: {0} is the BPF link's id.
      return trf(
          "remove the pin of BPF link {0} first (bpftool -f link show id {0} names it), or end what holds it",
          printable(pin.holder));
    default:
      return "";
  }
}

}  // namespace

std::vector<std::string> kernel_object_advice(const Snapshot& snapshot, const std::vector<const Pin*>& pins) {
  std::vector<std::string> out;
  std::set<std::string> said;
  for (const Pin* pin : pins) {
    if (!pin->placed()) continue;
    std::string line = advice(snapshot, *pin);
    if (!line.empty() && said.insert(line).second) out.push_back(std::move(line));
  }
  return out;
}

}  // namespace detach

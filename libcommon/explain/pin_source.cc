// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/pin_source.h"

namespace detach {

std::string pin_source_text(const Snapshot& snapshot) {
  const PinSource& source = snapshot.pin_source;
  std::string text = source.bpf ? "task pins read by BPF iterators" : "task pins read from /proc";
  if (!source.why.empty()) text += " (" + source.why + ")";
  return text;
}

}  // namespace detach

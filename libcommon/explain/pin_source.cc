// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/pin_source.h"

#include "base/i18n.h"

namespace detach {

std::string pin_source_text(const Snapshot& snapshot) {
  const PinSource& source = snapshot.pin_source;
  const std::string why = pin_source_why(source, Words::person());
  // TRANSLATORS: {0} says why ("not root: CAP_BPF and CAP_PERFMON are missing").
  if (source.bpf)
    return why.empty() ? tr("task pins read by BPF iterators")
                       : trf("task pins read by BPF iterators ({0})", why);
  return why.empty() ? tr("task pins read from /proc") : trf("task pins read from /proc ({0})", why);
}

}  // namespace detach

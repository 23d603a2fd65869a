// SPDX-License-Identifier: GPL-2.0-or-later
#include "explain/pin_source.h"

#include "base/i18n.h"

namespace detach {

std::string pin_source_text(const Snapshot& snapshot) {
  const PinSource& source = snapshot.pin_source;
  // TRANSLATORS: {0} says why (a scan's note, in English).
  if (source.bpf)
    return source.why.empty() ? tr("task pins read by BPF iterators")
                              : trf("task pins read by BPF iterators ({0})", source.why);
  return source.why.empty() ? tr("task pins read from /proc")
                            : trf("task pins read from /proc ({0})", source.why);
}

}  // namespace detach

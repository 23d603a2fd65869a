// SPDX-License-Identifier: GPL-2.0-or-later
// The scan's notes (ScanNote: what it could not read, a kind and its arguments) as sentences, in a reader's
// words: a person's language, or the English a program reads (JSON's "unseen").
#pragma once

#include <string>

#include "base/i18n.h"
#include "model/snapshot.h"

namespace detach {

// "unix sockets not listed: Operation not permitted", "3 BPF links could not be read", "detached mount 42
// (fuse) could not be probed: its filesystem did not answer in time" (SNAPSHOT has the mount a note names).
std::string scan_note_text(const Snapshot& snapshot, const ScanNote& note, const Words& words);

}  // namespace detach

// SPDX-License-Identifier: GPL-2.0-or-later
// Pinners as people read them: "8281 (python3) cwd, fd 3-1002 (read), mmap /lib/x.so", "loop /dev/loop1";
// and as programs read them (JSON objects with the pins as structured data).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/i18n.h"
#include "model/pinner.h"
#include "model/snapshot.h"

namespace detach {

// A pinner's pins in words: "cwd, root, exe, fd 3-1002 (read), fd 1003 (write), mmap /lib/x.so". fds are
// grouped by access mode (ranges of consecutive numbers, the first few ranges and a count of the rest); a
// few mmaps are named, the rest counted. Bounded, whatever the number of pins. Empty for a kernel pinner.
// In WORDS (base/i18n.h), as every function here that says something: English for the HOW cells and JSON,
// the user's language in sentences.
std::string summarize_pins(const Pinner& pinner, const Words& words);

// "8281 (python3)", "8281/8290 (python3)" for a thread with its own tables, "loop /dev/loop1".
std::string pinner_name(const Snapshot& snapshot, const Pinner& pinner, const Words& words);

// pinner_name and summarize_pins: "8281 (python3) cwd, fd 3-1002 (read)", "overlay /o (lowerdir, upperdir)".
std::string describe_pinner(const Snapshot& snapshot, const Pinner& pinner, const Words& words);

// Pinners joined by ", "; past MAX_PINNERS, or once the text passes MAX_CHARS, the rest as " and N more".
std::string describe_pinners(const Snapshot& snapshot, const std::vector<Pinner>& pinners, const Words& words,
                             std::size_t max_pinners = SIZE_MAX, std::size_t max_chars = SIZE_MAX);

// describe_pinners, and whether it named every pinner (else it ends "and N more").
struct PinnerList {
  std::string text;
  bool complete = true;
};
PinnerList list_pinners(const Snapshot& snapshot, const std::vector<Pinner>& pinners, const Words& words,
                        std::size_t max_pinners = SIZE_MAX, std::size_t max_chars = SIZE_MAX);

// group_pinners of PINS, described: the one call for "pinned by: ..." texts.
std::string describe_pins(const Snapshot& snapshot, const std::vector<const Pin*>& pins, const Words& words,
                          std::size_t max_pinners = SIZE_MAX, std::size_t max_chars = SIZE_MAX);

// {"kind": "process", "pid": 8281, "tid": null, "command": "python3", "user": "root", "unit": null,
//  "how": "cwd, fd 3-1002 (read)",
//  "pins": [{"kind": "cwd", "path": "/"}, {"kind": "fd", "fds": [[3, 1002]], "access": "read"}, ...]}
// A kernel pinner: {"kind": "loop", "holder": "/dev/loop1", "how": "loop /dev/loop1", "pins": [...]}.
// Unknown values are null.
// EACH_PIN: every pin on its own (an fd with its path) rather than fds grouped by access mode.
nlohmann::ordered_json pinner_json(const Snapshot& snapshot, const Pinner& pinner, bool each_pin = false);
nlohmann::ordered_json pinners_json(const Snapshot& snapshot, const std::vector<Pinner>& pinners,
                                    bool each_pin = false);

// "process", "thread", "loop", "swap-file", "mount", "namespace-holder", "overlay", "file-backed-mount",
// "binfmt_misc", "uprobe": the JSON kind of a pinner.
const char* pinner_kind_name(const Pinner& pinner);

// The word a kernel pinner's name starts with: "loop", "swap file", "mount", "overlay", "file-backed mount",
// "binfmt_misc entry", "uprobe".
const char* kernel_pinner_word(PinKind kind, const Words& words);

}  // namespace detach

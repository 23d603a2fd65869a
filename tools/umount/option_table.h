// SPDX-License-Identifier: GPL-2.0-or-later
// umount's options as data: util-linux 2.38.1's longopts (in its order: getopt_long lists the candidates of
// an ambiguous prefix in it), optstring and ul_excl_t table, plus our --wait.
#pragma once

#include <array>
#include <climits>
#include <vector>

#include "cli/getopt_parse.h"

namespace umount_tool {

using cli::Arg;

// The numbers getopt_long returns: the short letter, or for long-only options util-linux's enum
// (UMOUNT_OPT_FAKE = CHAR_MAX + 1) and ours after it.
inline constexpr int kOptFake = CHAR_MAX + 1;
inline constexpr int kOptWait = CHAR_MAX + 2;

inline constexpr std::array kLongOptions{
    cli::LongOption{"all", Arg::None, 'a'},
    cli::LongOption{"all-targets", Arg::None, 'A'},
    cli::LongOption{"detach-loop", Arg::None, 'd'},
    cli::LongOption{"fake", Arg::None, kOptFake},
    cli::LongOption{"force", Arg::None, 'f'},
    cli::LongOption{"help", Arg::None, 'h'},
    cli::LongOption{"internal-only", Arg::None, 'i'},
    cli::LongOption{"lazy", Arg::None, 'l'},
    cli::LongOption{"no-canonicalize", Arg::None, 'c'},
    cli::LongOption{"no-mtab", Arg::None, 'n'},
    cli::LongOption{"quiet", Arg::None, 'q'},
    cli::LongOption{"read-only", Arg::None, 'r'},
    cli::LongOption{"recursive", Arg::None, 'R'},
    cli::LongOption{"test-opts", Arg::Required, 'O'},
    cli::LongOption{"types", Arg::Required, 't'},
    cli::LongOption{"verbose", Arg::None, 'v'},
    cli::LongOption{"version", Arg::None, 'V'},
    cli::LongOption{"namespace", Arg::Required, 'N'},
    // newer than util-linux 2.38
    cli::LongOption{"wait", Arg::Optional, kOptWait, false},
};

inline constexpr const char* kShortOptions = "aAcdfhilnqRrO:t:vVN:";

// Options a user may give a setuid umount without it dropping its privileges first (util-linux's
// "hdilqVv"; --wait only waits, so it is allowed too). -c is ignored for them instead.
inline bool allowed_unprivileged(int code) {
  return code == 'h' || code == 'd' || code == 'i' || code == 'l' || code == 'q' || code == 'V' ||
         code == 'v' || code == kOptWait;
}

// util-linux's ul_excl_t excl[], as it lists it ("rows and cols in ASCII order", which the third row is
// not: its quirk that -O never conflicts is kept, see cli::ExclusiveCheck).
inline std::vector<std::vector<int>> exclusive_groups() {
  return {{'A', 'a'}, {'R', 'a'}, {'O', 'R', 't'}, {'R', 'r'}};
}

}  // namespace umount_tool

// SPDX-License-Identifier: GPL-2.0-or-later
// fuser's command line, read by psmisc 23.6's own rules, which neither getopt_long nor CLI11 can express:
// options and names interleave and an option applies to the names after it (-m, -n, -I, -4, -6,
// --detached), so the order of the whole line matters, not just of the options; -SIGNAL is an option
// (HUP, SIGHUP, 9) whose letters would otherwise read as bundled short options, and an uppercase letter or a
// digit anywhere in a bundle makes the whole word a signal; -n takes the next word even in the middle of a
// bundle and drops the rest of it; long options match exactly (no prefixes, no --opt=value); `--` ends the
// line, names after it are ignored; `-` alone is accepted and does nothing; and -l, -V, -h act where they
// stand, after the names before them were looked at.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fuser {

enum class Space { File, Tcp, Udp };

// One NAME and the options in effect where it stood.
struct NameArg {
  std::string text;  // as given, a "/tcp", "/udp" or "/file" suffix taken off
  Space space = Space::File;
  bool mount = false;      // -m or -c before it: NAME stands for its filesystem
  bool sync_stat = false;  // -I before it: the stat of NAME may ask the filesystem (psmisc's stat_flags 0)
  bool ipv4_only = false;  // -4 / -6 before it: which addresses its host and ports resolve to
  bool ipv6_only = false;
  bool detached = false;  // --detached before it: a device or former mount point of a detached mount
};

// Options that act on the whole run, as they stand after the whole line.
struct Options {
  bool all = false;           // -a
  bool interactive = false;   // -i
  bool kill = false;          // -k
  bool ismountpoint = false;  // -M
  bool silent = false;        // -s
  bool user = false;          // -u
  bool verbose = false;       // -v
  bool writeonly = false;     // -w
  bool ipv4_only = false;     // -4
  bool ipv6_only = false;     // -6
  int signal = 9;             // -SIGNAL; SIGKILL by default
  // --detached was given and no name followed it: every detached mount.
  bool all_detached = false;
};

// Where parsing stopped early, and what to do there (after the names before it were looked at).
enum class Stop {
  None,
  Usage,          // print `message` (when not empty) and the usage text; exit 1
  ListSignals,    // -l: the signal names; exit 0
  Version,        // -V; exit 0
  UnknownSignal,  // `message` is the signal's name as psmisc prints it ("SIG" taken off); exit 1
};

struct CommandLine {
  std::vector<NameArg> names;  // the names before the stop, in order
  Options options;
  Stop stop = Stop::None;
  std::string message;
};

// ARGS: argv without argv[0]. PROGRAM: argv[0] as given, which psmisc's messages begin with.
CommandLine parse_command_line(const std::vector<std::string>& args, const std::string& program);

// psmisc's reading of -SIGNAL (the word after its '-'): a leading digit is read as a number by atoi()
// ("9x" is 9), else a name with or without "SIG". nullopt when the name is unknown.
std::optional<int> signal_of(const std::string& word);

}  // namespace fuser

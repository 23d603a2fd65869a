// SPDX-License-Identifier: GPL-2.0-or-later
#include "command_line.h"

#include <array>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "cli/i18n.h"
#include "cli/signals.h"

namespace fuser {
namespace {

// psmisc's long options: exact names only, each the same as a short letter. --detached is ours.
constexpr char kDetached = '\0';
constexpr std::array<std::pair<std::string_view, char>, 16> kLongOptions{{
    {"all", 'a'},
    {"kill", 'k'},
    {"interactive", 'i'},
    {"inode", 'I'},
    {"list-signals", 'l'},
    {"mount", 'm'},
    {"ismountpoint", 'M'},
    {"namespace", 'n'},
    {"silent", 's'},
    {"user", 'u'},
    {"verbose", 'v'},
    {"writeonly", 'w'},
    {"version", 'V'},
    {"ipv4", '4'},
    {"ipv6", '6'},
    {"detached", kDetached},
}};

std::optional<char> long_option(std::string_view name) {
  for (const auto& [long_name, letter] : kLongOptions)
    if (long_name == name) return letter;
  return std::nullopt;
}

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The state of the line while it is read: what applies to the next name.
class Parser {
 public:
  Parser(const std::vector<std::string>& args, std::string program)
      : args_(args), program_(std::move(program)) {}

  CommandLine run() {
    for (index_ = 0; index_ < args_.size() && out_.stop == Stop::None; ++index_) {
      const std::string& arg = args_[index_];
      if (arg.size() >= 2 && arg[0] == '-' && arg[1] == '-') {
        if (arg.size() == 2) break;  // `--`: the rest of the line is not read at all
        long_word(arg);
      } else if (!arg.empty() && arg[0] == '-') {
        letters(arg, arg);
      } else {
        name(arg);
      }
    }
    if (detached_ && !named_detached_) out_.options.all_detached = true;
    return std::move(out_);
  }

 private:
  void stop(Stop why, std::string message = {}) {
    out_.stop = why;
    out_.message = std::move(message);
  }

  void long_word(const std::string& arg) {
    std::optional<char> letter = long_option(std::string_view(arg).substr(2));
    if (!letter)  // psmisc translates this one (with argv[0] as given), not the one of a bad letter below
      return stop(Stop::Usage, cli::without_newline(cli::cformat(cli::psmisc("%s: Invalid option %s\n"),
                                                                 program_.c_str(), arg.c_str())));
    if (*letter == kDetached) {
      detached_ = true;
      return;
    }
    letters(std::string("-") + *letter, arg);
  }

  // The letters of WORD after its '-' (WORD is ORIGINAL, or the short form of a long option).
  void letters(const std::string& word, const std::string& original) {
    for (std::size_t i = 1; i < word.size() && out_.stop == Stop::None; ++i) {
      if (!letter(word[i], original)) return;  // the rest of the word was used up
    }
  }

  // One option letter; false when it used up the rest of its word.
  bool letter(char c, const std::string& word) {
    Options& o = out_.options;
    switch (c) {
      case '4':
        o.ipv4_only = true;
        return true;
      case '6':
        o.ipv6_only = true;
        return true;
      case 'a':
        o.all = true;
        return true;
      case 'c':
      case 'm':
        mount_ = true;
        return true;
      case 'f':  // accepted and ignored, as in psmisc
        return true;
      case 'h':
        stop(Stop::Usage);
        return false;
      case 'i':
        o.interactive = true;
        return true;
      case 'I':
        sync_stat_ = true;
        return true;
      case 'k':
        o.kill = true;
        return true;
      case 'l':
        stop(Stop::ListSignals);
        return false;
      case 'M':
        o.ismountpoint = true;
        return true;
      case 'n':
        name_space();
        return false;
      case 's':
        o.silent = true;
        return true;
      case 'u':
        o.user = true;
        return true;
      case 'v':
        o.verbose = true;
        return true;
      case 'w':
        o.writeonly = true;
        return true;
      case 'V':
        stop(Stop::Version);
        return false;
      default:
        break;
    }
    if (is_upper(c) || is_digit(c)) {
      // The whole word from its first letter is the signal, whatever letters came before.
      const std::string signal_word = word.substr(1);
      if (std::optional<int> number = signal_of(signal_word))
        o.signal = *number;
      else
        stop(Stop::UnknownSignal, signal_word.substr(signal_word.rfind("SIG", 0) == 0 ? 3 : 0));
      return false;
    }
    stop(Stop::Usage, program_ + ": Invalid option " + std::string(1, c));
    return false;
  }

  // -n SPACE: the next word, wherever -n stood in its own.
  void name_space() {
    if (++index_ >= args_.size())
      return stop(Stop::Usage, cli::psmisc("Namespace option requires an argument."));
    const std::string& value = args_[index_];
    if (value == "tcp")
      space_ = Space::Tcp;
    else if (value == "udp")
      space_ = Space::Udp;
    else if (value == "file")
      space_ = Space::File;
    else
      stop(Stop::Usage, cli::psmisc("Invalid namespace name"));
  }

  void name(const std::string& arg) {
    NameArg n;
    n.text = arg;
    n.space = space_;
    // "80/tcp", "53/udp", "x/file": a suffix after the first '/' (not at the start) names the space.
    if (std::size_t slash = arg.find('/'); slash != std::string::npos && slash != 0) {
      const std::string suffix = arg.substr(slash + 1);
      const std::optional<Space> named = suffix == "tcp"    ? std::optional(Space::Tcp)
                                         : suffix == "udp"  ? std::optional(Space::Udp)
                                         : suffix == "file" ? std::optional(Space::File)
                                                            : std::nullopt;
      if (named) {
        n.space = *named;
        n.text = arg.substr(0, slash);
      }
    }
    if ((mount_ || out_.options.ismountpoint) && n.space != Space::File)
      return stop(Stop::Usage, cli::psmisc("You can only use files with mountpoint options"));
    n.mount = mount_;
    n.sync_stat = sync_stat_;
    n.ipv4_only = out_.options.ipv4_only;
    n.ipv6_only = out_.options.ipv6_only;
    n.detached = detached_;
    named_detached_ = named_detached_ || detached_;
    out_.names.push_back(std::move(n));
  }

  const std::vector<std::string>& args_;
  std::string program_;
  std::size_t index_ = 0;
  CommandLine out_;
  Space space_ = Space::File;
  bool mount_ = false;
  bool sync_stat_ = false;
  bool detached_ = false;
  bool named_detached_ = false;
};

}  // namespace

CommandLine parse_command_line(const std::vector<std::string>& args, const std::string& program) {
  return Parser(args, program).run();
}

std::optional<int> signal_of(const std::string& word) {
  if (!word.empty() && is_digit(word[0])) {
    // atoi(): the leading digits; a number past long's range saturates, and the cast to int keeps what C
    // does.
    return static_cast<int>(std::strtol(word.c_str(), nullptr, 10));
  }
  return cli::signal_number(word);
}

}  // namespace fuser

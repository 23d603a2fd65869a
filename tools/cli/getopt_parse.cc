// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/getopt_parse.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "cli/diag.h"
#include "cli/i18n.h"

namespace cli {
namespace {

int has_arg_of(Arg arg) {
  switch (arg) {
    case Arg::Required:
      return required_argument;
    case Arg::Optional:
      return optional_argument;
    case Arg::None:
      break;
  }
  return no_argument;
}

// Abbreviations that meant one legacy option and became ambiguous only through a newer one. getopt_long
// prefers an exact name over any prefix, so each becomes a hidden alias of its legacy option.
std::vector<std::pair<std::string, const LongOption*>> legacy_abbreviations(
    std::span<const LongOption> longs) {
  std::vector<std::pair<std::string, const LongOption*>> out;
  for (const LongOption& spec : longs) {
    if (!spec.legacy) continue;
    for (std::size_t len = 1; len < spec.name.size(); ++len) {
      const std::string_view prefix = spec.name.substr(0, len);
      const auto named = [prefix](const LongOption& o) { return o.name == prefix; };
      if (std::any_of(longs.begin(), longs.end(), named)) continue;  // an exact name wins anyway
      int legacy = 0, newer = 0;
      for (const LongOption& other : longs)
        if (other.name.starts_with(prefix)) ++(other.legacy ? legacy : newer);
      if (legacy == 1 && newer > 0) out.emplace_back(std::string(prefix), &spec);
    }
  }
  return out;
}

const LongOption* long_of(std::span<const LongOption> longs, int code) {
  auto it = std::find_if(longs.begin(), longs.end(), [code](const LongOption& o) { return o.code == code; });
  return it != longs.end() ? &*it : nullptr;
}

}  // namespace

GetoptTables::GetoptTables(std::string short_options, std::span<const LongOption> longs)
    : short_(std::move(short_options)), longs_(longs) {
  const auto aliases = legacy_abbreviations(longs);
  names_.reserve(longs.size() + aliases.size());  // no reallocation: long_ keeps pointers into names_
  long_.reserve(longs.size() + aliases.size() + 1);
  auto add = [this](std::string name, int has_arg, int code) {
    names_.push_back(std::move(name));
    long_.push_back(option{names_.back().c_str(), has_arg, nullptr, code});
  };
  for (const LongOption& spec : longs) add(std::string(spec.name), has_arg_of(spec.arg), spec.code);
  // An alias takes an optional value so that `--li=x` reaches parse_getopt, which names --list in the error
  // (glibc would name the alias).
  for (const auto& [name, spec] : aliases)
    add(name, spec->arg == Arg::None ? optional_argument : has_arg_of(spec->arg), spec->code);
  long_.push_back(option{nullptr, 0, nullptr, 0});
}

GetoptOutcome parse_getopt(const GetoptTables& tables, const std::vector<std::string>& args, int usage_code,
                           const OptionHandler& handle) {
  GetoptOutcome out;
  // getopt_long permutes argv (positionals move behind the options), so it gets a copy.
  std::vector<std::string> storage;
  storage.reserve(args.size() + 1);
  storage.push_back(program_path());
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(storage.size() + 1);
  for (std::string& arg : storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int argc = static_cast<int>(storage.size());

  // glibc keeps getopt's position in globals: optind = 0 starts a fresh scan. opterr = 1 lets glibc print
  // its own messages ("invalid option -- 'q'"), with argv[0] as util-linux's tools do.
  optind = 0;
  opterr = 1;
  int code = 0;
  while ((code = getopt_long(argc, argv.data(), tables.short_options(), tables.long_options(), nullptr)) !=
         -1) {
    if (code == '?') {
      try_help();
      out.exit_code = usage_code;
      return out;
    }
    std::optional<std::string> value = optarg ? std::optional<std::string>(optarg) : std::nullopt;
    const LongOption* spec = long_of(tables.longs(), code);
    if (value && spec != nullptr && spec->arg == Arg::None) {  // `--li=x`: a legacy abbreviation with a value
      std::fprintf(stderr, libc("%s: option '%s%s' doesn't allow an argument\n"), program_path().c_str(),
                   "--", std::string(spec->name).c_str());
      try_help();
      out.exit_code = usage_code;
      return out;
    }
    if (auto stop = handle(code, value)) {
      out.exit_code = stop;
      return out;
    }
  }
  for (int i = optind; i < argc; ++i) out.positionals.emplace_back(argv[static_cast<std::size_t>(i)]);
  return out;
}

ExclusiveCheck::ExclusiveCheck(std::vector<std::vector<int>> groups, bool sorted_scan)
    : groups_(std::move(groups)), seen_(groups_.size(), 0), sorted_scan_(sorted_scan) {}

bool ExclusiveCheck::conflicts(int code, std::span<const LongOption> longs) {
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const std::vector<int>& group = groups_[g];
    if (sorted_scan_ && (group.empty() || group.front() > code)) break;
    for (int member : group) {
      if (sorted_scan_ && member > code) break;
      if (member != code) continue;
      if (seen_[g] == 0) {
        seen_[g] = code;
      } else if (seen_[g] != code) {
        std::string msg = cformat(shared("%s: mutually exclusive arguments:"), program_name().c_str());
        for (int other : group) {
          if (const LongOption* spec = long_of(longs, other))
            msg += " --" + std::string(spec->name);
          else if (other < 128 && std::isgraph(other))
            msg += std::string(" -") + static_cast<char>(other);
        }
        std::fprintf(stderr, "%s\n", msg.c_str());
        return true;
      }
      break;
    }
  }
  return false;
}

}  // namespace cli

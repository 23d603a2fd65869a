#include "getopt_tables.h"

#include <algorithm>

namespace findmnt {
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

// Abbreviations that meant one util-linux 2.38 option and became ambiguous only through a newer option
// (`--li`: --list or --list-columns; `--i`: --invert or --id). getopt_long prefers an exact name over any
// prefix, so each one becomes a hidden alias of its 2.38 option and scripts keep their meaning.
std::vector<std::pair<std::string, const OptSpec*>> legacy_abbreviations() {
  std::vector<std::pair<std::string, const OptSpec*>> out;
  for (const OptSpec& spec : kOptions) {
    if (!spec.legacy) continue;
    for (std::size_t len = 1; len < spec.long_name.size(); ++len) {
      const std::string_view prefix = spec.long_name.substr(0, len);
      const auto named = [prefix](const OptSpec& o) { return o.long_name == prefix; };
      if (std::any_of(kOptions.begin(), kOptions.end(), named)) continue;  // an exact name wins anyway
      int legacy = 0, newer = 0;
      for (const OptSpec& other : kOptions)
        if (other.long_name.starts_with(prefix)) ++(other.legacy ? legacy : newer);
      if (legacy == 1 && newer > 0) out.emplace_back(std::string(prefix), &spec);
    }
  }
  return out;
}

}  // namespace

GetoptTables::GetoptTables() {
  for (const OptSpec& spec : kOptions) {
    if (!spec.short_name) continue;
    short_ += spec.short_name;
    // -k stays bare: --kernel's optional method (util-linux 2.41) is for the long form only.
    if (spec.arg == Arg::Required) short_ += ":";
    if (spec.arg == Arg::Optional && spec.id != Opt::Kernel) short_ += "::";
  }
  const auto aliases = legacy_abbreviations();
  names_.reserve(kOptions.size() + aliases.size());  // no reallocation: long_ keeps pointers into names_
  long_.reserve(kOptions.size() + aliases.size() + 1);
  auto add = [this](std::string name, const OptSpec& spec, int has_arg) {
    names_.push_back(std::move(name));
    long_.push_back(option{names_.back().c_str(), has_arg, nullptr, getopt_code(spec.id)});
  };
  // Table order matters: getopt_long lists ambiguous candidates in it, as util-linux's does.
  for (const OptSpec& spec : kOptions) add(std::string(spec.long_name), spec, has_arg_of(spec.arg));
  // An alias takes an optional value so that `--li=x` reaches the caller, which names --list in the error
  // (glibc would name the alias).
  for (const auto& [name, spec] : aliases)
    add(name, *spec, spec->arg == Arg::None ? optional_argument : has_arg_of(spec->arg));
  long_.push_back(option{nullptr, 0, nullptr, 0});
}

Opt opt_of_code(int code) {
  const auto* it = std::find_if(kOptions.begin(), kOptions.end(),
                                [code](const OptSpec& s) { return getopt_code(s.id) == code; });
  return it != kOptions.end() ? it->id : Opt::Help;  // getopt_long returns only codes from the table
}

}  // namespace findmnt

#include "getopt_scan.h"

#include <string_view>

namespace findmnt {
namespace {

// Walks argv as getopt_long does (GNU permutation: positionals may come anywhere, `--` ends options).
class Scanner {
 public:
  explicit Scanner(const std::vector<std::string>& args) : args_(args) {}

  ScannedArgs run() {
    while (i_ < args_.size() && !out_.error) step();
    return std::move(out_);
  }

 private:
  void step() {
    const std::string& arg = args_[i_++];
    if (arg == "--") {
      while (i_ < args_.size()) out_.positionals.push_back(args_[i_++]);
    } else if (arg.size() > 2 && arg.starts_with("--")) {
      long_option(std::string_view(arg).substr(2));
    } else if (arg.size() > 1 && arg[0] == '-') {
      short_bundle(std::string_view(arg).substr(1));
    } else {
      out_.positionals.push_back(arg);
    }
  }

  void emit(const OptSpec& spec, const std::string* value) {
    out_.options.push_back(OptToken{spec.id, value ? std::optional<std::string>(*value) : std::nullopt});
  }

  // Exact name first; else the unique prefix match; else, among several, the only 2.38 one.
  const OptSpec* find_long(std::string_view name) {
    std::vector<const OptSpec*> matches;
    for (const OptSpec& spec : kOptions) {
      if (spec.long_name == name) return &spec;
      if (spec.long_name.starts_with(name)) matches.push_back(&spec);
    }
    if (matches.size() == 1) return matches[0];
    if (matches.empty()) return nullptr;
    const OptSpec* legacy = nullptr;
    int nlegacy = 0;
    for (const OptSpec* spec : matches)
      if (spec->legacy) legacy = spec, ++nlegacy;
    if (nlegacy == 1) return legacy;
    std::string msg = "option '--" + std::string(name) + "' is ambiguous; possibilities:";
    for (const OptSpec* spec : matches) msg += " '--" + std::string(spec->long_name) + "'";
    out_.error = msg;
    return nullptr;
  }

  void long_option(std::string_view body) {
    std::size_t eq = body.find('=');
    std::string_view name = body.substr(0, eq);
    const OptSpec* spec = find_long(name);
    if (out_.error) return;
    if (!spec) {
      out_.error = "unrecognized option '--" + std::string(body) + "'";
      return;
    }
    std::string full = "--" + std::string(spec->long_name);
    if (eq != std::string_view::npos) {
      if (spec->arg == Arg::None) {
        out_.error = "option '" + full + "' doesn't allow an argument";
        return;
      }
      std::string value(body.substr(eq + 1));
      emit(*spec, &value);
    } else if (spec->arg == Arg::Required) {
      if (i_ >= args_.size()) {
        out_.error = "option '" + full + "' requires an argument";
        return;
      }
      emit(*spec, &args_[i_++]);
    } else {
      emit(*spec, nullptr);
    }
  }

  static const OptSpec* find_short(char c) {
    for (const OptSpec& spec : kOptions)
      if (spec.short_name == c) return &spec;
    return nullptr;
  }

  void short_bundle(std::string_view letters) {
    for (std::size_t k = 0; k < letters.size(); ++k) {
      const OptSpec* spec = find_short(letters[k]);
      if (!spec) {
        out_.error = std::string("invalid option -- '") + letters[k] + "'";
        return;
      }
      std::string rest(letters.substr(k + 1));
      if (spec->arg == Arg::None) {
        emit(*spec, nullptr);
        continue;
      }
      if (!rest.empty()) {
        emit(*spec, &rest);  // attached value: -oTARGET, -pmount
      } else if (spec->arg == Arg::Optional) {
        emit(*spec, nullptr);  // an optional value must be attached: `-p mount` is -p plus a positional
      } else if (i_ < args_.size()) {
        emit(*spec, &args_[i_++]);
      } else {
        out_.error = std::string("option requires an argument -- '") + letters[k] + "'";
      }
      return;
    }
  }

  const std::vector<std::string>& args_;
  std::size_t i_ = 0;
  ScannedArgs out_;
};

}  // namespace

ScannedArgs scan_argv(const std::vector<std::string>& args) {
  return Scanner(args).run();
}

}  // namespace findmnt

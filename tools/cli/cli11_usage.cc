// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/cli11_usage.h"

#include <algorithm>
#include <sstream>

#include "base/i18n.h"

namespace cli {
namespace {

// util-linux pads the option column to one width per tool; at least this, and two spaces past the longest.
constexpr std::size_t kMinOptionColumn = 24;

}  // namespace

UtilLinuxFormatter::UtilLinuxFormatter(std::vector<std::string> usage, std::string description,
                                       std::string footer)
    : usage_(std::move(usage)), description_(std::move(description)), footer_(std::move(footer)) {}

std::string option_names(const CLI::Option& option) {
  std::string out = " ";
  const std::vector<std::string>& shorts = option.get_snames();
  const std::vector<std::string>& longs = option.get_lnames();
  out += shorts.empty() ? "    " : "-" + shorts.front() + (longs.empty() ? "  " : ", ");
  if (!longs.empty()) out += "--" + longs.front();
  const std::string& text = option.get_option_text();
  if (!text.empty()) out += (text.front() == '[' ? "" : " ") + text;
  return out;
}

std::string UtilLinuxFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode) const {
  std::vector<const CLI::Option*> options =
      app->get_options([](const CLI::Option* o) { return o->nonpositional(); });
  // Help and version close the list, after a blank line, as in every util-linux tool.
  std::stable_partition(options.begin(), options.end(), [app](const CLI::Option* o) {
    return o != app->get_help_ptr() && o != app->get_version_ptr();
  });
  std::size_t width = kMinOptionColumn;
  for (const CLI::Option* o : options) width = std::max(width, option_names(*o).size() + 2);

  std::ostringstream out;
  out << detach::tr("\nUsage:\n");
  for (const std::string& line : usage_) out << " " << name << " " << line << "\n";
  out << "\n" << description_ << "\n" << detach::tr("\nOptions:\n");
  bool closing = false;
  for (const CLI::Option* o : options) {
    bool last_group = o == app->get_help_ptr() || o == app->get_version_ptr();
    if (last_group && !closing) out << "\n";
    closing = closing || last_group;
    std::string left = option_names(*o);
    out << left << std::string(width - left.size(), ' ') << o->get_description() << "\n";
  }
  if (!footer_.empty()) out << "\n" << footer_ << "\n";
  return out.str();
}

std::optional<std::string> unknown_option_message(const std::string& arg) {
  if (arg.size() < 2 || arg[0] != '-') return std::nullopt;
  if (arg[1] == '-') return detach::trf("unrecognized option '{0}'", arg);
  return invalid_option_message(arg.substr(1, 1));
}

std::string invalid_option_message(const std::string& letter) {
  return detach::trf("invalid option -- '{0}'", letter);
}

}  // namespace cli

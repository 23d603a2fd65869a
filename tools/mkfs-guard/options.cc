// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <signal.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "base/i18n.h"
#include "base/version.h"
#include "cli/cli11_usage.h"
#include "cli/diag.h"
#include "exit_codes.h"
#include "explain/printable.h"

namespace detach::guard {
namespace {

constexpr const char* kDescription =
    N_("Tell whether block devices are free for mkfs, and if not, why: mounts (attached, or lazily\n"
       "unmounted and still pinned), swap areas, loop devices, holders, partitions, processes.\n"
       "With a mkfs command after --, check every device it takes and run it only when all are free.");

constexpr const char* kFooter =
    N_("Exit status, checking devices: 0 all free, 1 one is busy or unusable, 2 bad arguments or\n"
       "no such device, 4 other errors.\n"
       "Exit status, running a mkfs: its own status, or 124 a device is busy (mkfs not run),\n"
       "125 bad arguments or other errors (mkfs not run), 126 mkfs could not be run, 127 mkfs not found.\n"
       "\n"
       "For more details see mkfs-guard(8).");

// What CLI11 gives a value-less --wait or --kill (add_flag with a string): no value was written.
constexpr const char* kFlagWithoutValue = "true";

// "--" splits our options from the command: CLI11 would otherwise take the command's options as ours.
std::size_t find_separator(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--") return static_cast<std::size_t>(i);
  return static_cast<std::size_t>(argc);
}

// MESSAGE may echo an argument (CLI11's and our own): printable(), so that it stays one line.
ParsedCommandLine usage_error(const std::string& message, bool wrapping) {
  cli::warnx(printable(message));
  cli::try_help();
  return {std::nullopt, exit_code(Outcome::Usage, wrapping)};
}

std::optional<unsigned> parse_seconds(const std::string& text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// CLI11 reads the rest of a short-option cluster after a '-' as a word of its own: "-J--x" gives a
// positional "---x" (a device nobody named: the fuzzer found it), "-v-" an option "--". getopt stops at
// that '-': so do we, in its words.
std::optional<std::string> made_up_word(const std::vector<std::string>& words, char** first, char** last) {
  for (const std::string& word : words)
    if (std::find(first, last, word) == last)
      return cli::invalid_option_message(word.substr(std::min<std::size_t>(1, word.size()), 1));
  return std::nullopt;
}

// Leftovers of CLI11's parse (each an argument as given: see made_up_word): unknown options, in getopt's
// words.
std::optional<std::string> leftover_error(const std::vector<std::string>& leftovers, char** first,
                                          char** last) {
  if (std::optional<std::string> message = made_up_word(leftovers, first, last)) return message;
  for (const std::string& arg : leftovers)
    if (std::optional<std::string> message = cli::unknown_option_message(arg)) return message;
  return std::nullopt;
}

// The values of --wait and --kill, checked; an error message when one is wrong.
std::optional<std::string> take_values(const std::optional<std::string>& wait,
                                       const std::optional<std::string>& kill, Options& options) {
  if (wait) {
    options.wait = true;
    if (*wait != kFlagWithoutValue) {
      std::optional<unsigned> seconds = parse_seconds(*wait);
      if (!seconds) return trf("invalid --wait argument: '{0}'", *wait);
      options.wait_limit = std::chrono::seconds(*seconds);
    }
  }
  if (kill) {
    options.kill_signal = *kill == kFlagWithoutValue ? std::optional<int>(SIGTERM) : parse_signal(*kill);
    if (!options.kill_signal) return trf("invalid --kill argument: '{0}'", *kill);
  }
  return std::nullopt;
}

}  // namespace

std::optional<int> parse_signal(const std::string& text) {
  static const std::pair<const char*, int> kNames[] = {
      {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"KILL", SIGKILL},
      {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"TERM", SIGTERM}, {"CONT", SIGCONT}};
  std::string name = text;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  if (name.starts_with("SIG")) name = name.substr(3);
  for (const auto& [known, signo] : kNames)
    if (name == known) return signo;
  std::optional<unsigned> number = parse_seconds(text);
  if (number && *number >= 1 && *number < static_cast<unsigned>(NSIG)) return static_cast<int>(*number);
  return std::nullopt;
}

ParsedCommandLine parse_command_line(int argc, char** argv) {
  Options options;
  std::optional<std::string> wait, kill;
  CLI::App app("", cli::program_name().empty() ? "mkfs-guard" : cli::program_name());
  app.formatter(std::make_shared<cli::UtilLinuxFormatter>(
      std::vector<std::string>{tr("[options] <device>..."), tr("[options] -- <mkfs command>")},
      tr(kDescription), tr(kFooter)));
  app.allow_extras();
  app.set_help_flag("-h,--help", tr("display this help"));
  app.set_version_flag("-V,--version", version_line("mkfs-guard"), tr("display version"));
  app.add_flag("-J,--json", options.json, tr("explain as JSON"));
  app.add_flag("-q,--quiet", options.quiet, tr("print nothing: the exit status tells"));
  app.add_flag("-v,--verbose", options.verbose, tr("also say what was checked"));
  app.add_flag("-f,--force", options.force,
               tr("a device only open for writing (not claimed) counts as free"));
  app.add_flag("--wait", wait, tr("wait until lazily unmounted filesystems on the devices are gone"))
      ->option_text("[=<seconds>]");
  app.add_flag("--kill", kill,
               tr("end the processes pinning lazily unmounted filesystems (SIGTERM), then wait"))
      ->option_text("[=<signal>]");
  app.add_flag("-y,--yes", options.yes, tr("with --kill, do not ask"));
  app.add_option("device", options.devices, tr("the block devices to check"));

  const std::size_t split = find_separator(argc, argv);
  const bool wrapping = split < static_cast<std::size_t>(argc);
  try {
    app.parse(static_cast<int>(split), argv);
  } catch (const CLI::CallForHelp& e) {
    return {std::nullopt, app.exit(e)};
  } catch (const CLI::CallForVersion& e) {
    return {std::nullopt, app.exit(e)};
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what(), wrapping);
  }
  if (std::optional<std::string> message = leftover_error(app.remaining(), argv + 1, argv + split))
    return usage_error(*message, wrapping);
  if (std::optional<std::string> message = made_up_word(options.devices, argv + 1, argv + split))
    return usage_error(*message, wrapping);
  for (std::size_t i = split + 1; i < static_cast<std::size_t>(argc); ++i)
    options.command.emplace_back(argv[i]);
  if (std::optional<std::string> message = take_values(wait, kill, options))
    return usage_error(*message, wrapping);

  if (wrapping && options.command.empty()) return usage_error(tr("no command after --"), wrapping);
  if (wrapping && !options.devices.empty())
    return usage_error(tr("give either devices or a command after --, not both"), wrapping);
  if (!wrapping && options.devices.empty()) return usage_error(tr("no device specified"), wrapping);
  if (options.json && options.quiet)
    return usage_error(tr("mutually exclusive arguments: --json --quiet"), wrapping);
  return {options, 0};
}

}  // namespace detach::guard

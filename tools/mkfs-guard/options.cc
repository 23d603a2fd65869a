#include "options.h"

#include <cstdio>

#include <CLI/CLI.hpp>

#include "base/version.h"
#include "exit_codes.h"

namespace detach::guard {
namespace {

constexpr const char* kDescription =
    "Tell whether a block device is free for mkfs, and if not, why: which mounts (attached, or lazily\n"
    "unmounted and still pinned), swap areas, loop devices, holders or processes keep it busy.\n"
    "With a command after --, run it only when the device (the last argument naming a block device) is free.";

constexpr const char* kFooter =
    "Exit status: 0 free (or the command's own status), 1 busy, 2 usage error, 4 other error.\n"
    "Examples:\n"
    "  mkfs-guard /dev/sdb\n"
    "  mkfs-guard -- mkfs.ext4 -L data /dev/sdb";

// "--" splits our options from the command: CLI11 would otherwise take the command's options as ours.
std::size_t find_separator(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--") return static_cast<std::size_t>(i);
  return static_cast<std::size_t>(argc);
}

ParsedCommandLine usage_error(const std::string& message) {
  std::fprintf(stderr, "mkfs-guard: %s\nTry 'mkfs-guard --help' for more information.\n", message.c_str());
  return {std::nullopt, exit_code(Outcome::Usage)};
}

}  // namespace

ParsedCommandLine parse_command_line(int argc, char** argv) {
  Options options;
  CLI::App app(kDescription, "mkfs-guard");
  app.footer(kFooter);
  app.set_version_flag("-V,--version", version_line("mkfs-guard"));
  app.add_flag("-J,--json", options.json, "explain as JSON");
  app.add_flag("-q,--quiet", options.quiet, "print nothing: the exit status tells");
  app.add_option("device", options.device, "the block device to check (e.g. /dev/sdb)");

  std::size_t split = find_separator(argc, argv);
  try {
    app.parse(static_cast<int>(split), argv);
  } catch (const CLI::CallForHelp& e) {
    return {std::nullopt, app.exit(e)};
  } catch (const CLI::CallForVersion& e) {
    return {std::nullopt, app.exit(e)};
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }
  for (std::size_t i = split + 1; i < static_cast<std::size_t>(argc); ++i)
    options.command.emplace_back(argv[i]);

  if (split < static_cast<std::size_t>(argc) && options.command.empty())
    return usage_error("no command after --");
  if (!options.command.empty() && !options.device.empty())
    return usage_error("give either a device or a command after --, not both");
  if (options.command.empty() && options.device.empty()) return usage_error("no device specified");
  if (options.json && options.quiet) return usage_error("--json and --quiet are mutually exclusive");
  return {options, 0};
}

}  // namespace detach::guard

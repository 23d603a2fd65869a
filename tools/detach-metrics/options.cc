// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <cstdio>

#include <CLI/CLI.hpp>

#include "base/version.h"

namespace detach::metrics {

std::optional<int> parse_command_line(int argc, char** argv, Options& options) {
  CLI::App app(
      "Write the state of lazily unmounted mounts (detached, pinned, how long ago, by whom) as Prometheus\n"
      "metrics for node-exporter's textfile collector.",
      "detach-metrics");
  app.footer(
      "Exit status: 0 written, 1 the scan or the write failed, 2 usage error.\n"
      "Example:\n"
      "  detach-metrics --output /var/lib/prometheus/node-exporter/detach_utils.prom");
  app.set_version_flag("-V,--version", version_line("detach-metrics"));
  app.add_option("-o,--output", options.output,
                 "write to this file, atomically (a temp file renamed over it), instead of stdout");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "detach-metrics: %s\nTry 'detach-metrics --help' for more information.\n", e.what());
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace detach::metrics

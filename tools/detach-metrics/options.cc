// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <cstdio>

#include <CLI/CLI.hpp>

#include "base/i18n.h"
#include "base/version.h"
#include "cli/diag.h"

namespace detach::metrics {

std::optional<int> parse_command_line(int argc, char** argv, Options& options) {
  CLI::App app(tr("Write the state of lazily unmounted mounts (detached, pinned, how long ago, by whom) as "
                  "Prometheus\nmetrics for node-exporter's textfile collector."),
               "detach-metrics");
  app.footer(
      tr("Exit status: 0 written, 1 the scan or the write failed, 2 usage error.\n"
         "Example:\n"
         "  detach-metrics --output /var/lib/prometheus/node-exporter/detach_utils.prom"));
  app.set_version_flag("-V,--version", version_line("detach-metrics"));
  app.add_option("-o,--output", options.output,
                 tr("write to this file, atomically (a temp file renamed over it), instead of stdout"));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11's own words (English only), then util-linux's hint in ours.
    cli::warnx(e.what());
    cli::try_help();
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace detach::metrics

// SPDX-License-Identifier: GPL-2.0-or-later
// detach-metrics: the state of lazily unmounted mounts as node-exporter textfile metrics, written atomically
// (detach-metrics.timer runs it every minute).
#include <cstdio>
#include <optional>
#include <string>

#include "base/file_write.h"
#include "base/i18n.h"
#include "base/stdout.h"
#include "base/wall_clock.h"
#include "cli/diag.h"
#include "cli/i18n.h"
#include "metrics.h"
#include "options.h"
#include "scan/scan.h"

namespace {

using detach::metrics::kExitError;
using detach::metrics::kExitOk;
using detach::metrics::Options;

bool write_out(const Options& options, const std::string& text) {
  if (options.output.empty())
    return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && detach::stdout_flushed();
  detach::Status done = detach::replace_file(options.output, text, 0644);
  if (!done) cli::warnx(done.error().message());
  return static_cast<bool>(done);
}

}  // namespace

int main(int argc, char** argv) {
  // Errors in the user's language (po/); the metrics themselves are never translated.
  cli::init_i18n(cli::Upstream::None);
  cli::set_program_name("detach-metrics", "detach-metrics");
  // Parse the command line.
  Options options;
  if (std::optional<int> code = detach::metrics::parse_command_line(argc, argv, options))
    return detach::stdout_flushed() ? *code : kExitError;

  // One snapshot: only detached mounts are reported, so attached mounts' pins need no details.
  detach::ScanOptions scan;
  scan.detail_pins_of = [](const detach::Mount&) { return false; };
  detach::Result<detach::Snapshot> snapshot = detach::take_snapshot(scan);
  const long long now = detach::now_seconds();

  // Write the metrics, or, when the scan failed, a file that says so (the old one would look current).
  if (!snapshot) {
    cli::warnx(detach::trf("cannot take a snapshot of the system: {0}", snapshot.error().message()));
    write_out(options, detach::metrics::render_failed_scan(now));
    return kExitError;
  }
  if (!write_out(options, detach::metrics::render(*snapshot, now))) {
    if (options.output.empty()) cli::warnx(cli::shared("write error"));
    return kExitError;
  }
  return kExitOk;
}

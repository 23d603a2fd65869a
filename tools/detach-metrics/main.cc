// detach-metrics: the state of lazily unmounted mounts as node-exporter textfile metrics, written atomically
// (detach-metrics.timer runs it every minute).
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "base/file_write.h"
#include "base/stdout.h"
#include "base/version.h"
#include "metrics.h"
#include "scan/scan.h"

namespace {

constexpr int kExitOk = 0, kExitError = 1, kExitUsage = 2;

struct Options {
  std::string output;  // empty: stdout
};

// The options, or the exit code when the run ends here (--help, --version, a usage error: already printed).
std::optional<int> parse(int argc, char** argv, Options& options) {
  CLI::App app(
      "Write the state of lazily unmounted mounts (detached, pinned, how long ago, by whom) as Prometheus\n"
      "metrics for node-exporter's textfile collector.",
      "detach-metrics");
  app.footer(
      "Exit status: 0 written, 1 the scan or the write failed, 2 usage error.\n"
      "Example:\n"
      "  detach-metrics --output /var/lib/prometheus/node-exporter/detach_utils.prom");
  app.set_version_flag("-V,--version", detach::version_line("detach-metrics"));
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

bool write_out(const Options& options, const std::string& text) {
  if (options.output.empty())
    return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && detach::stdout_flushed();
  detach::Status done = detach::replace_file(options.output, text, 0644);
  if (!done) std::fprintf(stderr, "detach-metrics: %s\n", done.error().message().c_str());
  return static_cast<bool>(done);
}

long long now_seconds() {
  using std::chrono::system_clock;
  return std::chrono::duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  // Parse the command line.
  Options options;
  if (std::optional<int> code = parse(argc, argv, options))
    return detach::stdout_flushed() ? *code : kExitError;

  // One snapshot: only detached mounts are reported, so attached mounts' pins need no details.
  detach::ScanOptions scan;
  scan.detail_pins_of = [](const detach::Mount&) { return false; };
  detach::Result<detach::Snapshot> snapshot = detach::take_snapshot(scan);
  const long long now = now_seconds();

  // Write the metrics, or, when the scan failed, a file that says so (the old one would look current).
  if (!snapshot) {
    std::fprintf(stderr, "detach-metrics: cannot take a snapshot of the system: %s\n",
                 snapshot.error().message().c_str());
    write_out(options, detach::metrics::render_failed_scan(now));
    return kExitError;
  }
  if (!write_out(options, detach::metrics::render(*snapshot, now))) {
    if (options.output.empty()) std::fprintf(stderr, "detach-metrics: write error\n");
    return kExitError;
  }
  return kExitOk;
}

// mkfs-guard: before mkfs, tell whether the device is free, and if not, exactly why and by whom.
#include <cstdio>
#include <cstring>
#include <string>

#include "base/stdout.h"
#include "exit_codes.h"
#include "explain/device_text.h"
#include "guard.h"
#include "kernel/exec.h"
#include "options.h"

namespace {

using namespace detach;
using namespace detach::guard;

int fail_with(const std::string& message) {
  std::fprintf(stderr, "mkfs-guard: %s\n", message.c_str());
  return exit_code(Outcome::Error);
}

bool print_report(const Options& options, const Check& check) {
  if (options.quiet) return true;
  // Wrapping mkfs, a free device is no news: mkfs speaks next.
  if (!options.command.empty() && !check.report.busy) return true;
  std::string out = options.json ? to_json(check.snapshot, check.report)
                                           .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                                       "\n"
                                 : render_text(check.snapshot, check.report);
  return std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
}

}  // namespace

int main(int argc, char** argv) {
  // Parse the command line: a device, or a mkfs command after --.
  ParsedCommandLine parsed = parse_command_line(argc, argv);
  // --help, --version and bad options end here; a help that could not be written is a failure too.
  if (!parsed.options) return stdout_flushed() ? parsed.exit_code : fail_with("write error");
  const Options& options = *parsed.options;

  // Which device: the one named, or the one the mkfs command writes to.
  std::string device = options.device;
  if (!options.command.empty()) {
    std::optional<std::string> named = device_in_command(options.command);
    if (!named) {
      std::fprintf(stderr, "mkfs-guard: no block device in the command\n");
      return exit_code(Outcome::Usage);
    }
    device = *named;
  }

  // Check it: claimed or not, and every reason the snapshot shows.
  Result<Check> check = check_device(device);
  if (!check) return fail_with(check_error_message(device, check.error()));

  // Say so.
  if (!print_report(options, *check) || !stdout_flushed()) return fail_with("write error");
  if (check->report.busy) return exit_code(Outcome::Busy);
  if (options.command.empty()) return exit_code(Outcome::Free);

  // Free: become the mkfs command, so its exit status is ours.
  Error error = exec_command(options.command);
  return fail_with("failed to execute " + options.command.front() + ": " + std::strerror(error.err));
}

// SPDX-License-Identifier: GPL-2.0-or-later
// mkfs-guard's own command line (tools/mkfs-guard/options.cc parse_command_line, CLI11 up to the first "--",
// the mkfs command after it): the fuzzer's bytes split at NUL into the arguments after "mkfs-guard".
// Properties: it never throws; a parse that runs is wrapping exactly when a "--" was given, with every
// argument after the first "--" as the command, untouched; checking, it has devices (each an argument as
// given) and no command; never --json with --quiet; a --kill signal is a real one; a parse that stops exits 0
// (help, version), 2 checking or 125 wrapping, as mkfs-guard(8) says. What it prints goes to /dev/null.
#include <signal.h>

#include <algorithm>
#include <iostream>
#include <vector>

#include "cli/diag.h"
#include "fuzz_check.h"
#include "options.h"

namespace {

// Sends stdout and stderr to /dev/null while it lives: help, version and the usage errors would flood the
// log.
class Silenced {
 public:
  Silenced() {
    std::cout.flush();
    std::fflush(nullptr);
    for (int fd : {1, 2}) {
      saved_[fd - 1] = ::dup(fd);
      ::dup2(null_, fd);
    }
  }
  ~Silenced() {
    std::cout.flush();
    std::fflush(nullptr);
    for (int fd : {1, 2}) {
      ::dup2(saved_[fd - 1], fd);
      ::close(saved_[fd - 1]);
    }
  }
  Silenced(const Silenced&) = delete;
  Silenced& operator=(const Silenced&) = delete;

 private:
  static inline int null_ = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  int saved_[2] = {-1, -1};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool named = (cli::set_program_name("mkfs-guard", "mkfs-guard"), true);
  (void)named;
  std::vector<std::string> args = fuzz::split_at_nul(fuzz::as_string(data, size));
  args.insert(args.begin(), "mkfs-guard");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const auto separator = std::find(args.begin() + 1, args.end(), "--");
  const bool wrapping = separator != args.end();

  detach::guard::ParsedCommandLine parsed;
  {
    Silenced quiet;
    parsed = detach::guard::parse_command_line(static_cast<int>(args.size()), argv.data());
  }
  if (!parsed.options) {
    FUZZ_CHECK(parsed.exit_code == 0 || parsed.exit_code == (wrapping ? 125 : 2));
    return 0;
  }
  const detach::guard::Options& options = *parsed.options;
  FUZZ_CHECK(parsed.exit_code == 0);
  FUZZ_CHECK(options.wrapping() == wrapping);
  if (wrapping) {
    FUZZ_CHECK(options.devices.empty());
    FUZZ_CHECK(std::equal(options.command.begin(), options.command.end(), separator + 1, args.end()));
  } else {
    FUZZ_CHECK(!options.devices.empty() && options.command.empty());
    for (const std::string& device : options.devices)
      FUZZ_CHECK(std::find(args.begin() + 1, args.end(), device) != args.end());
  }
  FUZZ_CHECK(!(options.json && options.quiet));
  if (options.kill_signal) FUZZ_CHECK(*options.kill_signal >= 1 && *options.kill_signal < NSIG);
  return 0;
}
